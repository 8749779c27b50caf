# Shared by tests/system/radius_*.sh (sourced): a minimal FreeRADIUS 3.2 configuration in a temp
# dir (PAP, CHAP, MS-CHAP with MPPE keys, a users file, the detail file for accounting), and
# start/stop of `freeradius -f -d DIR` by pid. Needs Debian's freeradius (scripts/deps.sh test).

# radius_gen_config DIR ADDR AUTHPORT ACCTPORT SECRET: writes DIR/radiusd.conf and DIR/users.
radius_gen_config() {
  local d=$1 addr=$2 aport=$3 cport=$4 secret=$5
  mkdir -p "$d/run" "$d/radacct" "$d/log"
  cat >"$d/radiusd.conf" <<CONF
prefix = /usr
exec_prefix = /usr
sysconfdir = $d
localstatedir = $d
sbindir = /usr/sbin
logdir = $d/log
raddbdir = $d
radacctdir = $d/radacct
name = freeradius
confdir = $d
modconfdir = $d
run_dir = $d/run
db_dir = $d
libdir = /usr/lib/freeradius
pidfile = $d/run/radiusd.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 16384
hostname_lookups = no
log {
  destination = files
  file = $d/radius.log
  auth = yes
  auth_badpass = no
  auth_goodpass = no
}
security {
  allow_core_dumps = no
  max_attributes = 200
  reject_delay = 0
  status_server = no
}
thread pool {
  start_servers = 2
  max_servers = 4
  min_spare_servers = 1
  max_spare_servers = 4
  max_requests_per_server = 0
}
client pptpx {
  ipaddr = $addr
  secret = $secret
  require_message_authenticator = yes
}
modules {
  pap {
    normalise = yes
  }
  chap {
  }
  mschap {
    use_mppe = yes
    require_encryption = no
    require_strong = no
  }
  files {
    filename = $d/users
  }
  detail {
    filename = $d/radacct/detail
    permissions = 0600
    header = "%t"
  }
}
server default {
  listen {
    type = auth
    ipaddr = $addr
    port = $aport
  }
  listen {
    type = acct
    ipaddr = $addr
    port = $cport
  }
  authorize {
    chap
    mschap
    files
    pap
  }
  authenticate {
    Auth-Type PAP {
      pap
    }
    Auth-Type CHAP {
      chap
    }
    Auth-Type MS-CHAP {
      mschap
    }
  }
  preacct {
  }
  accounting {
    detail
  }
  post-auth {
  }
}
CONF
  ln -sf /usr/share/freeradius/dictionary "$d/dictionary"
  # Reply attributes for the accounting cases of radius_auth.sh: acct1 gets its address, a Class,
  # a DNS server and 2 s interim updates from RADIUS; stout a Session-Timeout, idler an Idle-Timeout.
  cat >"$d/users" <<USERS
bob Cleartext-Password := "Tunnel-Lab-7"
acct1 Cleartext-Password := "Tunnel-Lab-7"
	Framed-IP-Address = 198.51.100.77,
	Class = "gold-class",
	Acct-Interim-Interval = 2,
	MS-Primary-DNS-Server = 192.0.2.53
stout Cleartext-Password := "Tunnel-Lab-7"
	Session-Timeout = 4
idler Cleartext-Password := "Tunnel-Lab-7"
	Idle-Timeout = 3
USERS
}

# radius_start NS DIR LOG: runs FreeRADIUS in namespace NS (pid in RADIUS_PID) until it is ready.
radius_start() {
  local ns=$1 d=$2 log=$3
  ip netns exec "$ns" freeradius -f -xx -l stdout -d "$d" >"$log" 2>&1 &
  RADIUS_PID=$!
  TN_PIDS+=("$RADIUS_PID")
  tn_wait_for "Ready to process requests" "$log" "$RADIUS_PID" 15 || tn_fail "FreeRADIUS did not start (see $log): $(tail -5 "$log")"
}

# radius_detail_record DIR STATUS USER: the last detail-file record (a paragraph) with that
# Acct-Status-Type and User-Name ("" for any user).
radius_detail_record() {
  awk -v RS= -v st="Acct-Status-Type = $2" -v user="$3" -v u="User-Name = \"$3\"" \
    'index($0, st) && (user == "" || index($0, u)) { last = $0 } END { print last }' "$1/radacct/detail" 2>/dev/null
}

# radius_attr NAME: the value of attribute NAME in the record on stdin.
radius_attr() { sed -n "s/^[[:space:]]*$1 = \"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" | head -1; }

radius_stop() {  # radius_stop PID
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Issue 19's data-plane cases for tests/system/hostile_peers.sh (sourced, not run; kept apart so
# other cases can be added there without conflicts). Uses its NS_C / NS_S / NS_V namespaces,
# $PEER, $BIN and $WORK, with the pinging session "bob" connected from NS_C.

# hd_ping NS COUNT: COUNT pings at 0.2 s through NS's tunnel; prints "transmitted received max_rtt_ms".
hd_ping() {
  local out
  out=$(ip netns exec "$1" ping -n -c "$2" -i 0.2 -W 1 198.51.100.1 2>&1 || true)
  local tx rx max
  tx=$(echo "$out" | sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p')
  rx=$(echo "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')
  max=$(echo "$out" | sed -n 's|^rtt .* = [0-9.]*/[0-9.]*/\([0-9.]*\)/.*|\1|p')
  echo "${tx:-0} ${rx:-0} ${max:-none}"
}

# Item 5: one spoofed GRE packet per Call ID, 4000 sequence numbers ahead of the real stream,
# with a harmless LCP Discard-Request inside, first at the server (from the client's address),
# then at the client (from the server's). Before the fix the window moved there and every later
# genuine packet was dropped as stale: 15 of 15 pings lost. Now: at most 1.
hd_gre_spray() {
  echo "hostile_peers: blind GRE spray, one packet per Call ID (issue 19)"
  local dir ns iface dst out res tx rx
  for dir in server client; do
    if [ "$dir" = server ]; then ns=$NS_C iface=veth-c dst=192.0.2.1; else ns=$NS_S iface=veth-s dst=192.0.2.2; fi
    out=$(ip netns exec "$ns" $PEER "$dst" gre-spray --iface "$iface" --wait 5) || tn_fail "$out"
    echo "  at the $dir: $out"
    res=$(hd_ping "$NS_C" 15)
    read -r tx rx _ <<<"$res"
    echo "  bob's ping right after: $rx of $tx answered"
    [ "$tx" -ge 15 ] && [ $((tx - rx)) -le 1 ] ||
      tn_fail "after a GRE spray at the $dir, bob's session answered $rx of $tx pings (the spray cut it off)"
  done
}

# Item 4: MPPE frames 2,047 coherency counts apart, 2,666 a second for 4 s, on a call of its own
# (user2 from 203.0.113.2; a stand-in for an authenticated user flooding its own call), while bob
# pings. Before the fix each frame cost ~2,047 key changes and the server fell behind for
# seconds: bob lost nearly all pings. Now the call's key-change budget refuses the jumps.
hd_mppe_key_flood() {
  echo "hostile_peers: MPPE key-change flood on a call of its own (issue 19)"
  local pid vping out res tx rx max line n
  ip netns exec "$NS_V" "$BIN" client 192.0.2.1 --password-file "$WORK/password" --user user2 \
    >"$WORK/client-flood.log" 2>&1 &
  pid=$!
  TN_PIDS+=("$pid")
  tn_wait_for "^connected:" "$WORK/client-flood.log" "$pid" 10 || tn_fail "user2 did not connect"
  ip netns exec "$NS_V" ping -n -i 0.2 -W 1 198.51.100.1 >/dev/null 2>&1 &
  vping=$!
  TN_PIDS+=("$vping")
  hd_ping "$NS_C" 30 >"$WORK/flood-ping" &
  local bping=$!
  out=$(ip netns exec "$NS_V" $PEER 192.0.2.1 mppe-key-flood --iface veth-v --rate 2666 --wait 4) || tn_fail "$out"
  echo "  $out"
  wait "$bping" || true
  read -r tx rx max <"$WORK/flood-ping"
  echo "  bob's ping during and after the flood: $rx of $tx answered, slowest $max ms"
  [ "$tx" -ge 30 ] && [ $((tx - rx)) -le 1 ] ||
    tn_fail "during an MPPE key-change flood on another call, bob's session answered $rx of $tx pings"
  kill -INT "$vping"; wait "$vping" 2>/dev/null || true
  tn_stop_client "$pid"
  sleep 0.3
  line=$(grep 'user "user2".*session ended' "$WORK/server.log" | tail -1)
  n=$(echo "$line" | sed -n 's/.*over the key-change budget \([0-9]*\)).*/\1/p')
  [ "${n:-0}" -ge 100 ] || tn_fail "user2's session end line counts ${n:-0} packets over the key-change budget: $line"
  echo "  server: user2's call refused $n packets over the key-change budget"
}

# After bob's client stopped: its end lines (server and client) count what the sprays did.
hd_end_checks() {
  local line late
  line=$(grep 'user "bob".*session ended' "$WORK/server.log" | tail -1)
  late=$(echo "$line" | sed -n 's/.*GRE delivered \([0-9]*\) late after.*/\1/p')
  [ "${late:-0}" -ge 1 ] || tn_fail "bob's session end line shows no GRE packets delivered late after the spray: $line"
  echo "  bob's session (server): $(echo "$line" | grep -o 'GRE dropped.*' | cut -c1-200)"
  grep -q "link down: .*GRE delivered [0-9]* late after" "$WORK/client.log" ||
    tn_fail "bob's client did not log the GRE packets it delivered late after the spray"
  echo "  bob's client: $(grep -o 'GRE delivered [0-9]* late after [0-9]* jumps\?' "$WORK/client.log" | tail -1)"
}

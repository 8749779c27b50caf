#!/usr/bin/env bash
# Packaging (issue 12): `cpack -G DEB` in the build directory of $PPTPX_BIN builds a .deb; it is
# installed with dpkg -i into a scratch root (dpkg --root, its own database: the host's packages
# and files are not touched), where every file is in its FHS place; systemd-analyze verify finds
# the units clean; dpkg -r leaves only the conffiles under /etc and dpkg -P leaves nothing.
# Also `cmake --install` into a DESTDIR. About 30-60 s (cpack builds nothing beyond pptpx).
set -euo pipefail
BIN=${PPTPX_BIN:?set PPTPX_BIN to the pptpx binary}
BUILD=${PPTPX_BUILD_DIR:-$(cd "$(dirname "$BIN")/../.." && pwd)}
WORK=$(mktemp -d "/tmp/pxpkg-$$.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
fail() { echo "packaging: FAIL: $*"; exit 1; }
[ -f "$BUILD/CPackConfig.cmake" ] || fail "no CPackConfig.cmake in $BUILD (set PPTPX_BUILD_DIR)"

echo "packaging: cpack -G DEB"
(cd "$BUILD" && timeout 300 cpack -G DEB -B "$WORK/out" -D CPACK_PACKAGING_INSTALL_PREFIX=/usr) >"$WORK/cpack.log" 2>&1 ||
  { tail -20 "$WORK/cpack.log"; fail "cpack failed"; }
DEB=$(ls "$WORK"/out/pptpx_*.deb 2>/dev/null | head -1)
[ -n "$DEB" ] || fail "no .deb in $WORK/out: $(ls "$WORK/out")"
dpkg-deb -f "$DEB" Package Version Depends | sed 's/^/  /'
dpkg-deb -f "$DEB" Depends | grep -q "libssl3" || fail "Depends has no libssl3 (dpkg-shlibdeps)"
dpkg-deb -f "$DEB" Depends | grep -q "libqrencode4" || fail "Depends has no libqrencode4 (dpkg-shlibdeps)"
dpkg-deb -e "$DEB" "$WORK/control"
for f in /etc/pptpx/server.toml /etc/pptpx/chap-secrets; do
  grep -qx "$f" "$WORK/control/conffiles" || fail "$f is not a conffile"
done

echo "packaging: dpkg -i into a scratch root"
ROOT="$WORK/root"
mkdir -p "$ROOT/var/lib/dpkg/info" "$ROOT/var/lib/dpkg/updates"
: >"$ROOT/var/lib/dpkg/status"
: >"$ROOT/var/lib/dpkg/available"
D=(dpkg --root="$ROOT" --force-depends --force-script-chrootless)
timeout 60 "${D[@]}" -i "$DEB" >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log"; fail "dpkg -i failed"; }
"${D[@]}" -s pptpx | grep -q "^Status: install ok installed" || fail "pptpx is not installed in the scratch root"
for f in usr/sbin/pptpx usr/lib/systemd/system/pptpx-server.service "usr/lib/systemd/system/pptpx-client@.service" \
    etc/pptpx/server.toml etc/pptpx/chap-secrets etc/pptpx/client/example.toml.sample \
    usr/share/man/man8/pptpx.8 usr/share/man/man5/pptpx-server.toml.5 \
    usr/share/bash-completion/completions/pptpx usr/share/doc/pptpx/examples/server.toml; do
  [ -e "$ROOT/$f" ] || fail "/$f is missing after dpkg -i"
done
[ "$(stat -c %a "$ROOT/etc/pptpx/chap-secrets")" = 600 ] || fail "chap-secrets is not mode 0600"
"$ROOT/usr/sbin/pptpx" --version | grep -q "pptpx" || fail "the installed binary does not run"
grep -q "^ExecStart=/usr/sbin/pptpx server --config /etc/pptpx/server.toml$" "$ROOT/usr/lib/systemd/system/pptpx-server.service" ||
  fail "the unit does not run /usr/sbin/pptpx: $(grep ExecStart "$ROOT/usr/lib/systemd/system/pptpx-server.service")"
# The sample configuration is valid as shipped (its pool holds no local address here).
sed "s|^#secrets_file = .*|secrets_file = \"$ROOT/etc/pptpx/chap-secrets\"|" "$ROOT/etc/pptpx/server.toml" >"$WORK/sample.toml"
"$BIN" server --check-config "$WORK/sample.toml" >"$WORK/check.out" 2>&1 || { cat "$WORK/check.out"; fail "the sample config does not pass --check-config"; }
grep -q "has no entries for this server" "$WORK/check.out" || fail "the sample secrets file did not draw the empty-file warning"
# Every commented key, uncommented, is a valid key with a valid default.
sed 's/^#\([a-z_]* = \)/\1/' "$WORK/sample.toml" >"$WORK/uncommented.toml"
[ "$(grep -c '^[a-z_]* = ' "$WORK/uncommented.toml")" -ge 34 ] || fail "the sample has fewer keys than expected"
"$BIN" server --check-config "$WORK/uncommented.toml" >"$WORK/check.out" 2>&1 ||
  { cat "$WORK/check.out"; fail "the sample config with every key uncommented does not pass --check-config"; }
if command -v man >/dev/null; then
  for page in man8/pptpx.8 man5/pptpx-server.toml.5; do
    man --warnings -l "$ROOT/usr/share/man/$page" >/dev/null 2>"$WORK/man.err" || true
    [ ! -s "$WORK/man.err" ] || fail "man warns about $page: $(cat "$WORK/man.err")"
  done
fi
bash -c "source /usr/share/bash-completion/bash_completion 2>/dev/null; source '$ROOT/usr/share/bash-completion/completions/pptpx'; complete -p pptpx" |
  grep -q "_pptpx" || fail "the bash completion does not register"

echo "packaging: systemd-analyze verify"
if command -v systemd-analyze >/dev/null; then
  # The units name /usr/sbin/pptpx, which exists only in the scratch root: verify copies that
  # point at the installed binary there.
  mkdir -p "$WORK/units"
  for u in pptpx-server.service "pptpx-client@.service"; do
    sed "s|/usr/sbin/pptpx|$ROOT/usr/sbin/pptpx|g" "$ROOT/usr/lib/systemd/system/$u" >"$WORK/units/$u"
  done
  cp "$WORK/units/pptpx-client@.service" "$WORK/units/pptpx-client@work.service"
  (cd "$WORK/units" && SYSTEMD_LOG_LEVEL=warning timeout 60 systemd-analyze verify --man=no \
     ./pptpx-server.service ./pptpx-client@work.service) >"$WORK/verify.log" 2>&1 || true
  # Only our units count: verify also loads the host's units they pull in, and those may warn.
  if grep -i "pptpx" "$WORK/verify.log"; then fail "systemd-analyze verify is not clean"; fi
  echo "  systemd-analyze verify: clean"
else
  echo "  systemd-analyze not installed: skipped"
fi

echo "packaging: dpkg -r keeps only conffiles, dpkg -P removes everything"
timeout 60 "${D[@]}" -r pptpx >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log"; fail "dpkg -r failed"; }
left=$(cd "$ROOT" && find . -type f ! -path './var/lib/dpkg/*' | sort)
[ "$left" = "$(printf './etc/logrotate.d/pptpx\n./etc/pptpx/chap-secrets\n./etc/pptpx/client/example.toml.sample\n./etc/pptpx/server.toml')" ] ||
  fail "after dpkg -r these files are left: $left"
timeout 60 "${D[@]}" -P pptpx >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log"; fail "dpkg -P failed"; }
left=$(cd "$ROOT" && find . ! -type d ! -path './var/lib/dpkg/*')
[ -z "$left" ] || fail "after dpkg -P these are left: $left"

echo "packaging: cmake --install into a DESTDIR"
DESTDIR="$WORK/destdir" timeout 120 cmake --install "$BUILD" --prefix /usr >"$WORK/install.log" 2>&1 ||
  { tail "$WORK/install.log"; fail "cmake --install failed"; }
for f in usr/sbin/pptpx etc/pptpx/server.toml usr/lib/systemd/system/pptpx-server.service; do
  [ -e "$WORK/destdir/$f" ] || fail "/$f missing after cmake --install: $(cd "$WORK/destdir" && find . -type f | head -30)"
done
echo "packaging: PASS"

#!/usr/bin/env bash
# `pptpx hash-password`: the printed NT hash must be RFC 2759 §9.2's NtPasswordHash for
# "clientPass" (44EBBA8D5312B8D611474411F56989AE), from a pipe and from --password-file, and a
# bad password source must fail with a message.
set -euo pipefail
BIN=${PPTPX_BIN:?set PPTPX_BIN to the pptpx binary}
WORK=$(mktemp -d /tmp/pptpx-hash-password.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
want="bob * nthash:44EBBA8D5312B8D611474411F56989AE 198.51.100.50"
got=$(echo clientPass | "$BIN" hash-password bob --address 198.51.100.50)
[ "$got" = "$want" ] || { echo "hash_password: got '$got', want '$want'"; exit 1; }
printf 'clientPass\n' >"$WORK/pw"
got=$("$BIN" hash-password --password-file "$WORK/pw")
[ "$got" = "nthash:44EBBA8D5312B8D611474411F56989AE" ] || { echo "hash_password: --password-file gave '$got'"; exit 1; }
if "$BIN" hash-password --password-file "$WORK/missing" 2>"$WORK/err"; then
  echo "hash_password: a missing password file did not fail"; exit 1
fi
grep -q "cannot read a line from $WORK/missing" "$WORK/err" || { cat "$WORK/err"; exit 1; }
echo "hash_password: PASS"

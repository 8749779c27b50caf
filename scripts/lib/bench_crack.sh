# The wordlist check's speed against hashcat (issue 13), sourced by scripts/bench.sh.
#
# bench_crack WORK BIN CAPTURE WORDS OUT.md: one MS-CHAPv2 handshake (CAPTURE, e.g. the shared
# mschapv2-mppe128.pcap) and one wordlist of WORDS random words that does not hold its password,
# so both tools test every word; then, side by side in the same minute:
#   pptpx audit CAPTURE --wordlist W --json          (all cores; its own candidates/s)
#   hashcat -m 5500 -a 0 HASH W                       (the same handshake from pptpx's export,
#                                                      the same list; CPU OpenCL through pocl)
#   hashcat -b -m 5500                                (hashcat's device peak: a mask attack that
#                                                      makes candidates on the device; no wordlist
#                                                      can feed it that fast)
# Writes a markdown section to OUT.md; when hashcat is absent the section says so and no
# figure is invented.
bench_crack() {
  local work=$1 bin=$2 cap=$3 nwords=$4 out=$5
  local d=$work/crack
  mkdir -p "$d"
  if ! command -v hashcat >/dev/null; then
    echo "bench: crack: SKIPPED: hashcat is not installed (scripts/deps.sh test installs hashcat and pocl-opencl-icd)"
    printf 'Not measured in this run: hashcat is not installed (`scripts/deps.sh test`).\n' >"$out"
    return 0
  fi
  if [ ! -r "$cap" ]; then
    echo "bench: crack: SKIPPED: the capture $cap is missing (set PPTPX_SHARED_DIR)"
    printf 'Not measured in this run: the capture %s is missing.\n' "$cap" >"$out"
    return 0
  fi
  echo "bench: crack: $nwords random words vs one MS-CHAPv2 handshake: pptpx audit and hashcat -m 5500"
  python3 - "$d/words" "$nwords" <<'PY'
import random, string, sys
r = random.Random(5500)
alphabet = string.ascii_letters + string.digits
with open(sys.argv[1], "w") as f:
    for _ in range(int(sys.argv[2])):
        f.write("".join(r.choice(alphabet) for _ in range(r.randint(6, 12))) + "\n")
PY
  "$bin" audit "$cap" --export hashcat-5500 >"$d/hash"
  local hc=(hashcat -m 5500 --potfile-disable --force -D 1,2 --session "pxbench-crack-$$")
  # Warm-up: compiles (or loads from ~/.cache/hashcat) the OpenCL kernel outside the measured run.
  printf 'warmup\n' >"$d/tiny"
  timeout 600 "${hc[@]}" -a 0 "$d/hash" "$d/tiny" >"$d/warmup.log" 2>&1 || true
  # Rounds alternate the tools (pptpx, hashcat, hashcat -b), so a change in the machine's load
  # during the run hits both; each tool's best round is quoted.
  local load0 r t0 t1 t2
  load0=$(cut -d' ' -f1-3 /proc/loadavg)
  for r in $(seq 1 "${BENCH_CRACK_ROUNDS:-2}"); do
    t0=$(date +%s.%N)
    "$bin" audit "$cap" --wordlist "$d/words" --json >"$d/pptpx.$r.json"
    t1=$(date +%s.%N)
    timeout 900 "${hc[@]}" -a 0 "$d/hash" "$d/words" >"$d/hashcat.$r.log" 2>&1 || true
    t2=$(date +%s.%N)
    timeout 300 hashcat -b -m 5500 --force -D 1,2 >"$d/hashcat-b.$r.log" 2>&1 || true
    echo "$t0 $t1 $t2" >"$d/times.$r"
  done
  python3 - "$d" "$nwords" "$load0" "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "$(hashcat --version)" "$(basename "$cap")" >"$out" <<'PY'
import glob, json, re, sys
d, n, load0, load1, hcver, cap = sys.argv[1:]
n = int(n)
unit = {"H/s": 1, "kH/s": 1e3, "MH/s": 1e6, "GH/s": 1e9}
def speed(path):
    vals = re.findall(r"Speed\.#\*?1?\.*:\s*([0-9.]+) ([kMG]?H/s)", open(path, errors="replace").read())
    return float(vals[-1][0]) * unit[vals[-1][1]] if vals else 0.0
rounds = []
for tf in sorted(glob.glob(f"{d}/times.*")):
    r = tf.rsplit(".", 1)[1]
    t0, t1, t2 = map(float, open(tf).read().split())
    w = json.load(open(f"{d}/pptpx.{r}.json")).get("wordlist", {})
    rounds.append(dict(px=float(w.get("candidates_per_second", 0)), threads=w.get("threads", "?"),
                       px_wall=t1 - t0, hc=speed(f"{d}/hashcat.{r}.log"), hc_wall=t2 - t1,
                       peak=speed(f"{d}/hashcat-b.{r}.log"), log=open(f"{d}/hashcat.{r}.log", errors="replace").read()))
best = lambda k: max(rounds, key=lambda x: x[k])
px_rate, px_threads, hc_rate, hc_peak = best("px")["px"], best("px")["threads"], best("hc")["hc"], best("peak")["peak"]
px_wall, hc_wall = min(x["px_wall"] for x in rounds), min(x["hc_wall"] for x in rounds)
hc_log = best("hc")["log"]
status = (re.findall(r"Status\.*:\s*(\S+)", hc_log) or ["?"])[-1]
dev = (re.findall(r"\* Device #1: ([^,]+)", hc_log) or ["?"])[0]
def ratio(a, b): return f"{a / b:.2f}x" if b > 0 else "n/a"
print(f"Wordlist: {n:,} random words (6-12 letters and digits, without the password, so every word is tested); "
      f"handshake: the MS-CHAPv2 handshake of `{cap}` (hashcat gets pptpx's own `--export hashcat-5500` line). "
      f"{hcver}, device `{dev}`. {len(rounds)} rounds, the tools alternating; each tool's best round below "
      f"(all rounds: pptpx " + ", ".join(f"{x['px'] / 1e6:.2f}" for x in rounds) + " M/s; hashcat "
      + ", ".join(f"{x['hc'] / 1e6:.2f}" for x in rounds) + " M/s; hashcat peak "
      + ", ".join(f"{x['peak'] / 1e6:.2f}" for x in rounds) + f" M/s). "
      f"Load average before/after: {load0} / {load1} (the machine is shared: compare the ratios).")
print()
print("| tool | command | candidates/s | wall time (load, setup, search) |")
print("|---|---|---:|---:|")
print(f"| pptpx | `pptpx audit {cap} --wordlist words --json` ({px_threads} threads) | {px_rate / 1e6:.2f} M | {px_wall:.2f} s |")
print(f"| hashcat | `hashcat -m 5500 -a 0 -D 1,2 --force hash words` (status {status}) | {hc_rate / 1e6:.2f} M | {hc_wall:.2f} s |")
print(f"| hashcat peak | `hashcat -b -m 5500 -D 1,2 --force` (mask attack, candidates made on the device) | {hc_peak / 1e6:.2f} M | - |")
print()
print(f"pptpx / hashcat on the same wordlist: **{ratio(px_rate, hc_rate)}** by rate, "
      f"**{ratio(hc_wall, px_wall)}** by wall time (hashcat's / pptpx's); "
      f"pptpx / hashcat's device peak: {ratio(px_rate, hc_peak)}.")
PY
  echo "bench: crack: $(tail -n 1 "$out")"
}

# bench_crack_splice DOC.md SECTION.md: replaces the text between the bench.sh:crack markers.
bench_crack_splice() {
  python3 - "$1" "$2" <<'PY'
import sys
doc, sec = sys.argv[1], sys.argv[2]
b = "<!-- bench.sh:crack:begin (generated by scripts/bench.sh; edits here are overwritten) -->"
e = "<!-- bench.sh:crack:end -->"
text = open(doc).read()
i, j = text.index(b) + len(b), text.index(e)
open(doc, "w").write(text[:i] + "\n" + open(sec).read().rstrip("\n") + "\n\n" + text[j:])
PY
}

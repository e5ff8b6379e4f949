#!/usr/bin/env bash
# gouji when every report fails (issue 15) and with very long prose lines (issue 9), in one run:
#
#   benches/failing.sh
#
# Prints, measured side by side in this one run:
#   1. 10,000 failing reports: JSON wall time (target ≤ 1.0 s), human wall time (target
#      ≤ 2 × JSON), parse-only wall time and lint ÷ parse-only;
#   2. peak RSS with JSON and human output at 10,000 and 40,000 reports (target: flat);
#   3. the peer workload: gouji's CPU time ÷ embedded regorus's (target ≤ 0.5);
#   4. 8 files each with one ~1,000,000-character prose line, human output (target < 10 s,
#      < 512 MiB): the sentence a rule reads at column 1,000,202 ("far"), or spanning the
#      line ("long").
#
# The workload is benches/failing.py: the seed as published (examples/chaoyang-2020.yaml),
# two table cells of each copy jittered, so every report fails. Correctness is checked
# before timing: every report has an error finding, and the JSON output parses.
#
# Env: OUT (default /tmp/gouji-failing); RUNS (hyperfine runs, default 10);
# CARGO_TARGET_DIR (default ./target); BIN (a gouji binary to time instead of building the
# `profiling` profile); PEERS (default /work/shared/bench/peers); REGORUS (the peers'
# regorus harness binary; built into $OUT/regorus if unset and cargo can fetch regorus).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-/tmp/gouji-failing}
RUNS=${RUNS:-10}
PEERS=${PEERS:-/work/shared/bench/peers}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$OUT"

if ! command -v hyperfine >/dev/null; then
    echo "installing hyperfine" >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y hyperfine >/dev/null; else sudo apt-get install -y hyperfine >/dev/null; fi
fi
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package: time)" >&2; exit 1; }

if [ -z "${BIN:-}" ]; then
    (cd "$ROOT" && cargo build --profile profiling --quiet)
    BIN=$TARGET/profiling/gouji
fi
if [ -z "${REGORUS:-}" ] && [ -d "$PEERS/regorus-harness" ]; then
    if [ ! -x "$OUT/regorus/target/release/regorus-harness" ]; then
        # The shared copy is read-only: the build needs to write its target/ inside the copy.
        rm -rf "$OUT/regorus" && cp -r "$PEERS/regorus-harness" "$OUT/regorus" && chmod -R u+w "$OUT/regorus"
        (cd "$OUT/regorus" && cargo build --release --quiet) || echo "regorus harness did not build" >&2
    fi
    REGORUS=$OUT/regorus/target/release/regorus-harness
fi

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -m | awk '/Mem:/{print $2}') MiB; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== gouji: $BIN ($("$BIN" --version))"

for n in 10000 40000; do
    dir=$OUT/failing-$n
    if [ ! -f "$dir/jittered.txt" ] || [ "$(ls "$dir" | grep -c '\.yaml$')" != "$n" ]; then
        rm -rf "$dir"
        python3 "$ROOT/benches/failing.py" "$n" "$dir" > "$OUT/gen-$n.json"
    fi
done
D10=$OUT/failing-10000
D40=$OUT/failing-40000

# Correctness first: every report fails, and the JSON is one document.
"$BIN" lint --no-progress --format json "$D10" > "$OUT/lint-10000.json" || true
python3 - "$OUT/lint-10000.json" 10000 <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
files = {f["file"] for f in r["findings"] if f["severity"] == "error"}
cells = sum(len(f["cells"]) for f in r["findings"])
print(json.dumps({"files": r["summary"]["files"], "files_with_errors": len(files),
                  "findings": len(r["findings"]), "cells_in_findings": cells}))
sys.exit(0 if len(files) == int(sys.argv[2]) == r["summary"]["files"] else 1)
EOF
"$BIN" lint --no-progress --color never "$D10" > "$OUT/lint-10000.txt" 2>/dev/null || true
echo "== output at 10,000: JSON $(wc -c < "$OUT/lint-10000.json") bytes, human $(wc -c < "$OUT/lint-10000.txt") bytes, input $(cat "$D10"/*.yaml | wc -c) bytes"

echo "== 10,000 failing reports, side by side"
hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$OUT/hf_failing.json" \
    -n json "$BIN lint --no-progress --format json $D10" \
    -n human "$BIN lint --no-progress --color never $D10" \
    -n parse-only "$BIN lint --no-progress --no-default-rules --format json $D10" \
    --output=null

echo "== peak RSS (KiB), 3 runs each, 10,000 vs 40,000"
: > "$OUT/rss.txt"
for n in 10000 40000; do
    for fmt in json human; do
        for _ in 1 2 3; do
            /usr/bin/time -f "%M" -o "$OUT/rss.tmp" "$BIN" lint --no-progress --color never --format "$fmt" "$OUT/failing-$n" > /dev/null 2>&1 || true
            echo "$n $fmt $(tail -1 "$OUT/rss.tmp")" >> "$OUT/rss.txt"
        done
    done
done

echo "== long prose: 8 files, one ~1,000,000-character prose line each, human output"
# far: the sentence a prose rule reads sits after 100,000 short sentences (column 1,000,202);
# long: it is one sentence of a million characters (the label spans the line).
for kind in far long; do
    dir=$OUT/long-prose-$kind
    if [ ! -f "$dir/7.yaml" ]; then
        mkdir -p "$dir"
        python3 - "$ROOT/tests/fixtures/lint/bad.yaml" "$dir" "$kind" <<'EOF'
import sys
bad = open(sys.argv[1], encoding="utf-8").read()
at = bad.index("受理向区政务服务管理局提出的政府信息公开申请0件")
pad = ("本年度工作稳步推进。" if sys.argv[3] == "far" else "本年度工作稳步推进，") * 100_000
for i in range(8):
    open(f"{sys.argv[2]}/{i}.yaml", "w", encoding="utf-8").write(bad[:at] + pad + bad[at:])
EOF
    fi
    : > "$OUT/long-$kind.txt"
    for _ in 1 2 3; do
        /usr/bin/time -f "%e %M" -o "$OUT/long.tmp" "$BIN" lint --no-progress --color never "$dir" > "$OUT/long-$kind-out.txt" 2>/dev/null || true
        tail -1 "$OUT/long.tmp" >> "$OUT/long-$kind.txt"
    done
    echo "$kind: output $(wc -c < "$OUT/long-$kind-out.txt") bytes, widest line $(wc -L < "$OUT/long-$kind-out.txt") columns"
done

have_peer=0
if [ -f "$PEERS/gen.py" ] && [ -x "${REGORUS:-}" ]; then
    have_peer=1
    echo "== peer workload (1,000 small reports, two rules): gouji vs embedded regorus"
    pdir=$OUT/peer1000
    [ -d "$pdir" ] || python3 "$PEERS/gen.py" 1000 "$pdir" > "$OUT/peer-gen.json"
    hyperfine -N -i --warmup 3 --runs $((RUNS * 3)) --export-json "$OUT/hf_peer.json" \
        -n gouji "$BIN lint --no-progress --no-default-rules --schema $ROOT/benches/peer/schema.yaml --rules $ROOT/benches/peer/rules.gouji --format json $pdir" \
        -n regorus-embedded "$REGORUS $PEERS/rego/policy.rego $pdir" \
        --output=null
else
    echo "== peer workload skipped (no $PEERS/gen.py or no REGORUS binary)"
fi

echo
echo "== summary (mean ± σ over $RUNS runs; CPU = user + system)"
python3 - "$OUT" "$have_peer" <<'EOF'
import json, statistics, sys
out, have_peer = sys.argv[1], sys.argv[2] == "1"
def load(name):
    return {r["command"]: r for r in json.load(open(f"{out}/{name}"))["results"]}
def ratio(a, b):
    # Ratio of means, with σ by first-order propagation.
    r = a["mean"] / b["mean"]
    return r, r * ((a["stddev"] / a["mean"]) ** 2 + (b["stddev"] / b["mean"]) ** 2) ** 0.5
def cpu(r):
    return r["user"] + r["system"]
h = load("hf_failing.json")
j, hu, p = h["json"], h["human"], h["parse-only"]
rows = []
def row(what, target, value, ok):
    rows.append((what, target, value, "met" if ok else "MISSED" if ok is not None else ""))
row("10,000 failing, JSON wall", "≤ 1.0 s", f"{j['mean']:.3f} s ± {j['stddev']:.3f} (CPU {cpu(j):.3f} s)", j["mean"] <= 1.0)
row("10,000 failing, human wall", "", f"{hu['mean']:.3f} s ± {hu['stddev']:.3f} (CPU {cpu(hu):.3f} s)", None)
r, s = ratio(hu, j)
row("human ÷ JSON (wall)", "≤ 2", f"{r:.2f} × ± {s:.2f}", r <= 2)
row("10,000 failing, parse-only wall", "", f"{p['mean']:.3f} s ± {p['stddev']:.3f} (CPU {cpu(p):.3f} s)", None)
r, s = ratio(j, p)
row("lint ÷ parse-only (wall, JSON)", "", f"{r:.2f} × ± {s:.2f} (CPU {cpu(j) / cpu(p):.2f} ×)", None)
rss = {}
for line in open(f"{out}/rss.txt"):
    n, fmt, kib = line.split()
    rss.setdefault((n, fmt), []).append(int(kib))
for fmt in ("json", "human"):
    a, b = max(rss[("10000", fmt)]), max(rss[("40000", fmt)])
    row(f"peak RSS {fmt}, 10,000 → 40,000", "flat",
        f"{a / 1024:.1f} → {b / 1024:.1f} MiB (max of 3)", b <= a * 1.25 + 2048)
for kind in ("far", "long"):
    long = [tuple(map(float, l.split())) for l in open(f"{out}/long-{kind}.txt")]
    secs = [t for t, _ in long]
    row(f"8 × 1M-char prose line ({kind}), human wall", "< 10 s",
        f"{statistics.median(secs):.2f} s (median of 3; max {max(secs):.2f})", max(secs) < 10)
    mib = max(m for _, m in long) / 1024
    row(f"8 × 1M-char prose line ({kind}), peak RSS", "< 512 MiB", f"{mib:.1f} MiB", mib < 512)
if have_peer:
    pe = load("hf_peer.json")
    g, rg = pe["gouji"], pe["regorus-embedded"]
    row("peer: gouji wall", "", f"{g['mean'] * 1000:.1f} ms ± {g['stddev'] * 1000:.1f} (CPU {cpu(g) * 1000:.1f} ms)", None)
    row("peer: regorus wall", "", f"{rg['mean'] * 1000:.1f} ms ± {rg['stddev'] * 1000:.1f} (CPU {cpu(rg) * 1000:.1f} ms)", None)
    row("peer: gouji CPU ÷ regorus CPU", "≤ 0.5", f"{cpu(g) / cpu(rg):.2f} ×", cpu(g) / cpu(rg) <= 0.5)
w = [max(len(r[i]) for r in rows) for i in range(3)]
for r in rows:
    print(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]:<{w[2]}}  {r[3]}")
EOF

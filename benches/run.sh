#!/usr/bin/env bash
# gouji benchmarks: throughput, parse-only, one report, peak memory, peer comparison.
#
#   benches/run.sh                 # all sizes: 1000 10000 100000
#   SIZES="1000 10000" benches/run.sh
#
# Env: OUT (default /tmp/gouji-bench) for generated reports and results; RUNS (hyperfine
# runs, default 5); CARGO_TARGET_DIR (default ./target); PEERS (default
# /work/shared/bench/peers) and REGORUS (the peers' regorus harness binary, optional).
# Results: $OUT/hf_*.json (hyperfine), $OUT/rss.txt (peak RSS), printed summary.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-/tmp/gouji-bench}
RUNS=${RUNS:-5}
SIZES=${SIZES:-"1000 10000 100000"}
PEERS=${PEERS:-/work/shared/bench/peers}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/profiling/gouji
mkdir -p "$OUT"

if ! command -v hyperfine >/dev/null; then
    echo "installing hyperfine" >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y hyperfine >/dev/null; else sudo apt-get install -y hyperfine >/dev/null; fi
fi
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package: time)" >&2; exit 1; }

(cd "$ROOT" && cargo build --profile profiling --quiet)

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -m | awk '/Mem:/{print $2}') MiB"
: > "$OUT/rss.txt"
for n in $SIZES; do
    dir=$OUT/reports-$n
    # Generated once per size and seed; gen.py is deterministic.
    if [ ! -f "$dir/injected.txt" ] || [ "$(ls "$dir" | grep -c '\.yaml$')" != "$n" ]; then
        rm -rf "$dir"
        python3 "$ROOT/benches/gen.py" "$n" "$dir" > "$OUT/gen-$n.json"
    fi
    echo "== $n reports: $(cat "$OUT/gen-$n.json" 2>/dev/null || true)"
    # Correctness first: errors in exactly the injected files.
    "$BIN" lint --no-progress --format json "$dir" > "$OUT/lint-$n.json" || true
    python3 "$ROOT/benches/check.py" "$dir" < "$OUT/lint-$n.json"
    runs=$RUNS; [ "$n" -ge 100000 ] && runs=3
    hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$OUT/hf_$n.json" \
        -n "lint-all-rules-$n" "$BIN lint --no-progress --format json $dir" \
        -n "parse-only-$n" "$BIN lint --no-progress --no-default-rules --format json $dir" \
        --output=null
    for mode in all parse; do
        extra=""; [ $mode = parse ] && extra=--no-default-rules
        /usr/bin/time -f "%M" -o "$OUT/rss.tmp" "$BIN" lint --no-progress $extra --format json "$dir" > /dev/null || true
        echo "$n $mode $(tail -1 "$OUT/rss.tmp") KiB" | tee -a "$OUT/rss.txt"
    done
done

echo "== one report"
hyperfine -N -i --warmup 3 --runs 50 --export-json "$OUT/hf_one.json" \
    -n one-report "$BIN lint $ROOT/examples/chaoyang-2020.yaml" --output=null

if [ -f "$PEERS/gen.py" ]; then
    echo "== peer benchmark (1000 small reports, two rules)"
    pdir=$OUT/peer1000
    [ -d "$pdir" ] || python3 "$PEERS/gen.py" 1000 "$pdir" > "$OUT/peer-gen.json"
    peer=(lint --no-progress --no-default-rules --schema "$ROOT/benches/peer/schema.yaml"
          --rules "$ROOT/benches/peer/rules.gouji" --format json "$pdir")
    "$BIN" "${peer[@]}" > "$OUT/peer.json" || true
    python3 - "$OUT/peer.json" "$PEERS/results/truth_1000.txt" <<'EOF'
import json, sys
# The peers report rule violations; gouji's repair/plan records are not one.
got = sorted((f["file"].rsplit("/", 1)[-1], f["rule"].split("/")[-1])
             for f in json.load(open(sys.argv[1]))["findings"] if f["rule"] != "repair/plan")
truth = sorted(tuple(l.split()) for l in open(sys.argv[2]) if l.strip())
print(json.dumps({"gouji_findings": len(got), "truth": len(truth), "same": got == truth}))
sys.exit(0 if got == truth else 1)
EOF
    cmds=(-n gouji "$BIN ${peer[*]}")
    if [ -n "${REGORUS:-}" ] && [ -x "$REGORUS" ]; then
        cmds+=(-n regorus-embedded "$REGORUS $PEERS/rego/policy.rego $pdir")
    fi
    hyperfine -N -i --warmup 2 --runs 20 --export-json "$OUT/hf_peer.json" "${cmds[@]}" --output=null
fi

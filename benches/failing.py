#!/usr/bin/env python3
"""The all-failing workload: the seed report as published, its cells jittered.

    python3 benches/failing.py N DIR [--seed S] [--cells K]

Writes N copies of examples/chaoyang-2020.yaml (the seed,
shared/seeds/000_31517a60f0cc5bb3.txt, typed in as published — its own slip, 不掌握 183,
included) into DIR as failing-NNNNNN.yaml. In every copy, K (default 2) numeric cells of
申请 (table 3) and 复议诉讼 (table 4), chosen with the seed, are moved by ±1..3 (never below
0), so every report fails several relations and has a repair plan to search. 机关 gets the
copy's number, so no two copies are the same body. The edits go to DIR/jittered.txt (file,
line, column, old → new) and a JSON line with the counts to stdout.

Deterministic: the same N, seed and K give byte-identical files. No dependencies.
"""

import argparse
import json
import os
import random
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "examples", "chaoyang-2020.yaml")
CELL = re.compile(r"([^\s{},:]+): (\d+)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("dir")
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--cells", type=int, default=2)
    a = ap.parse_args()
    with open(SEED, encoding="utf-8") as f:
        lines = f.read().split("\n")
    # The table rows whose cells may move: (line index, [(start, end, column, value)]).
    rows, section = [], None
    for i, line in enumerate(lines):
        if line and not line.startswith((" ", "#")):
            section = line.split(":")[0]
        if section in ("申请", "复议诉讼") and "{" in line:
            cells = [(m.start(2), m.end(2), m.group(1), int(m.group(2)))
                     for m in CELL.finditer(line, line.index("{"))]
            rows += [(i, c) for c in cells]
    body = next(i for i, l in enumerate(lines) if l.startswith("机关:"))
    os.makedirs(a.dir, exist_ok=True)
    rng = random.Random(a.seed)
    width = max(6, len(str(a.n - 1)))
    log = []
    for k in range(a.n):
        out = list(lines)
        out[body] = f"{lines[body]}{k:0{width}d}"
        # Right to left within a line, so earlier offsets stay valid.
        picked = sorted(rng.sample(rows, a.cells), key=lambda r: (r[0], -r[1][0]))
        name = f"failing-{k:0{width}d}.yaml"
        for i, (s, e, col, v) in picked:
            step = rng.choice([1, 2, 3])
            new = v + step if v < step or rng.random() < 0.5 else v - step
            out[i] = out[i][:s] + str(new) + out[i][e:]
            log.append(f"{name}\t{i + 1}\t{col}\t{v} → {new}")
        with open(os.path.join(a.dir, name), "w", encoding="utf-8") as f:
            f.write("\n".join(out))
    with open(os.path.join(a.dir, "jittered.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(log) + "\n")
    size = sum(os.path.getsize(os.path.join(a.dir, n)) for n in os.listdir(a.dir)
               if n.endswith(".yaml"))
    print(json.dumps({"reports": a.n, "cells_jittered_each": a.cells, "bytes": size}))


if __name__ == "__main__":
    main()

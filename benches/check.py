#!/usr/bin/env python3
"""Check `gouji lint --format json DIR` against the errors benches/gen.py injected.

    gouji lint --format json DIR | python3 benches/check.py DIR

Passes only if the files with at least one error-severity finding are exactly the files
listed in DIR/injected.txt, and no file has a finding of any severity otherwise
(a balanced report must lint clean). Prints a JSON line; exit status 1 on a mismatch.
"""
import json
import os
import sys

d = sys.argv[1]
report = json.load(sys.stdin)
injected = set()
with open(os.path.join(d, "injected.txt"), encoding="utf-8") as f:
    for line in f:
        if line.strip():
            injected.add(line.split("\t")[0])
errors, other = set(), set()
for f in report["findings"]:
    name = os.path.basename(f["file"])
    (errors if f["severity"] == "error" else other).add(name)
missed = sorted(injected - errors)
spurious = sorted(errors - injected)
noisy = sorted(other - injected)
ok = not missed and not spurious and not noisy and report["summary"]["unreadable"] == 0
print(json.dumps({
    "files": report["summary"]["files"], "injected": len(injected),
    "files_with_errors": len(errors), "missed": missed[:10], "spurious": spurious[:10],
    "clean_files_with_warnings": noisy[:10], "ok": ok,
}, ensure_ascii=False))
sys.exit(0 if ok else 1)

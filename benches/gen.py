#!/usr/bin/env python3
"""Synthetic annual reports for benchmarking gouji.

    python3 benches/gen.py N DIR [--seed S] [--error-share F]

Writes N reports into DIR, alternating the two national formats (even index: 2019
format, odd: 2021 format), shaped like examples/chaoyang-2020.yaml and
examples/balanced-2021.yaml: the same keys, one flow mapping per table row, and a prose
block (正文) of about the seed's length. Every table balances (row totals, column
balance, result totals, table 4 totals) and the prose quotes the table's numbers.

A known share of the files (exactly round(N * F), chosen with the seed) gets ONE
injected error: one numeric cell of table 3 or table 4 moved by ±1..3 (never below 0).
The names of those files go to DIR/injected.txt (one per line; not a *.yaml file, so
`gouji lint DIR` does not read it), and a JSON line with the counts goes to stdout.

Deterministic: the same N, seed and share give byte-identical files. No dependencies.
"""

import argparse
import json
import os
import random

APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结"]
LITIGATION = ["行政复议", "未经复议直接起诉", "复议后起诉"]

# The leaf rows of 办理结果 (before 总计), per format: (path under 办理结果, indent).
RESULT_GROUPS = {
    "不予公开": ["国家秘密", "法律法规禁止", "三安全一稳定", "第三方权益", "内部事务",
             "过程性信息", "执法案卷", "查询事项"],
    "无法提供": ["不掌握", "需另行制作", "补正后不明确"],
    "不予处理": ["信访举报投诉", "重复申请", "公开出版物", "大量反复申请", "确认或重新出具"],
}
OTHER_2021 = ["逾期不补正", "逾期未缴费", "其他"]

PROSE = [
    "本年度，本机关坚持“以公开为常态，不公开为例外”原则，全面落实《政府信息公开条例》要求，不断夯实工作基础，逐步扩大政府信息主动公开范围。",
    "加强组织领导，建立健全政务公开工作协调机制，明确分管领导，列入工作分工并对外公布；统筹指导各单位，加大对政府信息公开工作的重视程度。",
    "充分利用门户网站信息集中发布平台、专属页面、政务新媒体等多种渠道，通过图表图解、微视频等群众喜闻乐见的方式，发布涉及群众切身利益的办事服务信息。",
    "编制并发布政府信息公开指南，确保依申请公开渠道畅通，受理机关、邮寄地址、联系电话等信息准确无误；严把“受理、办理、答复、送达”四个环节，依法依规做好答复。",
    "加强政府信息的规范化、标准化管理，将信息公开属性确定程序与信息发布程序结合起来，同步开展保密审查，同步确定公开属性。",
    "按照“谁主管、谁负责；谁公开、谁审查”的原则，对拟公开的政府信息进行保密审查，避免因政府信息公开引发信息失密、泄密事件。",
    "定期做好政府信息公开系统维护，及时更新动态发布政府信息；专人负责窗口接待，标识明显、指引清晰，为公众提供高效便捷的查询服务。",
    "加大教育培训，采取网络平台授课的方式，对《政府信息公开条例》的理解和适用进行专题培训，建设专业人才队伍，以监督考核促提升。",
]
IMPROVE = [
    "一是主动公开的针对性、有效性、及时性有待提高，需进一步扩大政府信息公开范围，更好地服务企业群众。",
    "二是依申请公开答复的说理有待加强，需学习研究依申请公开经典案例，规范工作流程，提升法律意识、程序意识。",
    "三是政务新媒体的互动回应有待加强，需健全回应机制，及时回应社会关切。",
]


def small(rng, hi):
    """A count as reports have them: mostly 0, sometimes a few, rarely many."""
    r = rng.random()
    if r < 0.45:
        return 0
    if r < 0.85:
        return rng.randint(1, max(1, hi // 10))
    return rng.randint(1, hi)


def pad(key, width):
    """Pad a key to a display width (CJK characters take two columns)."""
    w = sum(2 if ord(ch) > 0x2E80 else 1 for ch in key)
    return key + " " * max(1, width - w)


def row(cells):
    return "{" + ", ".join(f"{k}: {v}" for k, v in cells) + "}"


def build(rng, i, fmt):
    """One balanced report as an ordered structure of table rows: returns (header, tables, prose)."""
    # 办理结果 leaf rows: [(path tuple, {col: n})]
    leaves = [("予以公开",), ("部分公开",)]
    for g, rows in RESULT_GROUPS.items():
        leaves += [(g, r) for r in rows]
    leaves += [("其他处理", r) for r in OTHER_2021] if fmt == "2021" else [("其他处理",)]
    weight = {"自然人": 60, "商业企业": 12}
    results = {}
    for leaf in leaves:
        hi = 120 if leaf[0] in ("予以公开", "无法提供") else 20
        results[leaf] = {c: small(rng, hi * weight.get(c, 2) // 60 or 1) for c in APPLICANTS}
    total = {c: sum(results[l][c] for l in leaves) for c in APPLICANTS}
    carry_out = {c: small(rng, 30 * weight.get(c, 2) // 60 or 1) for c in APPLICANTS}
    carry_in = {c: rng.randint(0, min(total[c] + carry_out[c], 30)) for c in APPLICANTS}
    new = {c: total[c] + carry_out[c] - carry_in[c] for c in APPLICANTS}

    # table 3 rows in file order: (path, indent, {col: n}) or (group path, indent, None)
    t3 = [(("新收",), 2, new), (("上年结转",), 2, carry_in), (("办理结果",), 2, None)]
    emitted = set()
    for leaf in leaves:
        if len(leaf) == 2 and leaf[0] not in emitted:
            emitted.add(leaf[0])
            t3.append((("办理结果", leaf[0]), 4, None))
        t3.append((("办理结果",) + leaf, 4 + 2 * (len(leaf) - 1), results[leaf]))
    t3.append((("办理结果", "总计"), 4, total))
    t3.append((("结转",), 2, carry_out))
    t3 = [(p, ind, None if v is None else dict(v, 总计=sum(v.values()))) for p, ind, v in t3]

    t4 = []
    for r in LITIGATION:
        v = {c: small(rng, 12) for c in OUTCOMES}
        v["总计"] = sum(v.values())
        t4.append(((r,), 2, v))

    year = rng.choice([2019, 2020]) if fmt == "2019" else rng.randint(2021, 2024)
    body = f"合成机关{i:06d}"
    review = t4[0][2]["总计"]
    suits = t4[1][2]["总计"] + t4[2][2]["总计"]
    paras = rng.sample(PROSE, 6)
    overview = (
        f"{year}年，{paras[0]}全年共收到政府信息公开申请{new_total(t3)}件，"
        f"发生政府信息公开行政复议{review}件、行政诉讼{suits}件。\n\n"
        + "\n".join(f"{k + 1}.{p}" for k, p in enumerate(paras[1:]))
    )
    prose = {
        "总体情况": overview,
        "问题改进": "\n\n".join(IMPROVE),
        "其他事项": f"{body}政府信息主要通过门户网站发布，如需了解更多本机关主动公开政府信息，欢迎登录查询。",
    }
    return body, year, t3, t4, prose


def new_total(t3):
    return t3[0][2]["总计"]


def made(rng):
    """A 2019 第一项 row: what was published this year is within the total in force."""
    published = small(rng, 40)
    return row([("本年新制作", small(rng, 40)), ("本年新公开", published),
                ("对外公开总数", published + small(rng, 200))])


def active(rng, fmt):
    n = lambda: small(rng, 40)
    if fmt == "2019":
        return f"""主动公开:
  第一项:
    规章:       {made(rng)}
    规范性文件: {made(rng)}
  第五项:
    行政许可: {row([("上一年项目数", n()), ("本年增减", rng.randint(-3, 3)), ("处理决定数", n())])}
    其他对外管理服务事项: {row([("上一年项目数", n()), ("本年增减", rng.randint(-3, 3)), ("处理决定数", n())])}
  第六项:
    行政处罚: {row([("上一年项目数", n()), ("本年增减", rng.randint(-3, 3)), ("处理决定数", n())])}
    行政强制: {row([("上一年项目数", n()), ("本年增减", rng.randint(-3, 3)), ("处理决定数", n())])}
  第八项:
    行政事业性收费: {row([("上一年项目数", n()), ("本年增减", rng.randint(-3, 3))])}
  第九项:
    # 表头原文：采购总金额（万元，保留四位小数）
    政府集中采购: {row([("采购项目数", n()), ("采购总金额", f"{rng.randint(0, 999999) / 10000:.4f}")])}
"""
    return f"""主动公开:
  第一项:
    规章:           {row([("本年制发", n()), ("本年废止", n()), ("现行有效", n())])}
    行政规范性文件: {row([("本年制发", n()), ("本年废止", n()), ("现行有效", n())])}
  第五项:
    行政许可: {row([("处理决定数", n())])}
  第六项:
    行政处罚: {row([("处理决定数", n())])}
    行政强制: {row([("处理决定数", n())])}
  第八项:
    行政事业性收费: {row([("收费金额", f"{rng.randint(0, 99999) / 100:.2f}")])}
"""


def render(rng, i, fmt, inject):
    body, year, t3, t4, prose = build(rng, i, fmt)
    injected = None
    if inject:
        cells = [(t, k, c) for t in (t3, t4) for k, (_, _, v) in enumerate(t) if v for c in v]
        t, k, c = rng.choice(cells)
        v = t[k][2]
        delta = rng.choice([-3, -2, -1, 1, 2, 3])
        if v[c] + delta < 0:
            delta = -delta
        v[c] += delta
        injected = (".".join(t[k][0]), c, delta)
    out = [
        f"# yaml-language-server: $schema=../docs/schema/{fmt}.json",
        f"# 合成报告 {i}（benches/gen.py）：各表平衡{'，注入一处错误' if inject else ''}。",
        f"机关: {body}",
        f"年度: {year}",
        f"格式: {fmt}",
        "",
        active(rng, fmt),
        "申请:",
    ]
    for path, ind, v in t3:
        key = path[-1] + ":"
        if v is None:
            out.append(" " * ind + key)
        else:
            out.append(" " * ind + pad(key, 22 - ind) + row(v.items()))
    out += ["", "复议诉讼:"]
    for path, ind, v in t4:
        out.append(" " * ind + pad(path[-1] + ":", 20) + row(v.items()))
    out += ["", "正文:"]
    for k, text in prose.items():
        out.append(f"  {k}: |")
        out += ["    " + line if line else "" for line in text.split("\n")]
    return "\n".join(out) + "\n", injected


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("dir")
    ap.add_argument("--seed", type=int, default=20240501)
    ap.add_argument("--error-share", type=float, default=0.10)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.dir, exist_ok=True)
    bad = set(rng.sample(range(a.n), round(a.n * a.error_share)))
    width = max(6, len(str(a.n - 1)))
    names, counts = [], {"2019": 0, "2021": 0}
    bad_counts = {"2019": 0, "2021": 0}
    for i in range(a.n):
        fmt = "2019" if i % 2 == 0 else "2021"
        text, injected = render(rng, i, fmt, i in bad)
        name = f"r{i:0{width}d}.yaml"
        with open(os.path.join(a.dir, name), "w", encoding="utf-8") as f:
            f.write(text)
        counts[fmt] += 1
        if injected:
            bad_counts[fmt] += 1
            names.append(f"{name}\t{injected[0]}.{injected[1]}\t{injected[2]:+d}")
    with open(os.path.join(a.dir, "injected.txt"), "w", encoding="utf-8") as f:
        f.write("".join(n + "\n" for n in names))
    print(json.dumps({
        "files": a.n, "seed": a.seed,
        "format_2019": counts["2019"], "format_2021": counts["2021"],
        "injected": len(names),
        "injected_2019": bad_counts["2019"], "injected_2021": bad_counts["2021"],
    }))


if __name__ == "__main__":
    main()

//! The row state machine: the token stream read against one format's
//! template — which values belong to which row, rows the template lacks, the
//! appeals row, and run-together digits settled by the sums of their columns.

use std::collections::HashMap;

use super::headers;
use super::matching::{match_tail, MatchKind};
use super::normalise::{keys, norm};
use super::split::{candidates, cut_cells, fit, Fit};
use super::template::{RowRelation, Section, SumRule, TableSpec, Version};
use super::tokens::{convert, Pos, Tok, TokKind, Unit, Val};
use super::{Problem, Severity};
use crate::messages::import::ImportMsg;

/// Where one row's values came from.
#[derive(Debug, Clone)]
pub struct Placed {
    pub vals: Vec<Val>,
    /// Cut from digits run together with no sum to settle the cut (section 二):
    /// it says nothing about which format the table follows.
    pub guessed: bool,
    /// Cells cut from run-together digits by a relation (column index, the
    /// relation): written under `推断` so lint does not count that relation as
    /// checked for them.
    pub inferred: Vec<(usize, String)>,
}

/// The relation a row's own cells keep (schema `total:`), as written under
/// `推断`: `总计 = 自然人 + 商业企业 + …`.
fn row_relation(spec: &TableSpec) -> String {
    match spec.columns.split_last() {
        Some((total, rest)) if spec.rule != SumRule::None => {
            let parts: Vec<&str> = rest.iter().map(|c| c.key).collect();
            format!("{} = {}", total.key, parts.join(" + "))
        }
        _ => String::new(),
    }
}

/// The cells of `cells` cut from `tokens`, each with `relation`.
fn inferred(tokens: &[Val], cells: &[Val], relation: &str) -> Vec<(usize, String)> {
    cut_cells(tokens, cells)
        .into_iter()
        .map(|i| (i, relation.to_string()))
        .collect()
}

/// A row the template does not have, kept under a template row (the seed's
/// 其他对外管理服务事项 → 行政检查 / 行政确认).
#[derive(Debug, Clone)]
pub struct Extra {
    pub table: usize,
    pub parent: usize,
    pub key: String,
    pub vals: Vec<Val>,
}

pub fn problem(problems: &mut Vec<Problem>, severity: Severity, message: String, pos: Option<Pos>) {
    let (line, column, cell) = match pos {
        Some(Pos::Text { line, column }) => (Some(line), Some(column), None),
        Some(Pos::Cell { table, row, cell }) => {
            (None, None, Some(super::TableCell { table, row, cell }))
        }
        None => (None, None, None),
    };
    problems.push(Problem {
        message,
        line,
        column,
        cell,
        severity,
    });
}

struct State<'a> {
    tables: &'a [TableSpec],
    version: Version,
    section: Option<Section>,
    buf: Vec<(String, Option<Pos>)>,
    /// Inside a row whose boundaries the source marks, and that row's own label text.
    in_row: bool,
    row_text: String,
    group: Vec<(Val, Option<Pos>)>,
    appeals: Vec<(Val, Option<Pos>)>,
    appeals_seen: bool,
    placed: HashMap<(usize, usize), Placed>,
    /// Rows whose values could not be read (so ordering still advances past them).
    failed: Vec<(usize, usize)>,
    /// Rows whose run-together digits split more than one way, to be settled by
    /// the sums of their columns once every row is read.
    ambiguous: Vec<Pending>,
    extra: Vec<Extra>,
    headers: HashMap<usize, Vec<(usize, String)>>,
    last: Option<(usize, usize)>,
    last_extra_parent: Option<(usize, usize)>,
    problems: Vec<Problem>,
}

impl State<'_> {
    fn candidates(&self) -> Vec<(usize, Vec<String>)> {
        let secs: &[Section] = match self.section {
            Some(Section::Active) => &[Section::Active],
            Some(Section::Requests) => &[Section::Requests],
            None => &[Section::Active, Section::Requests],
            _ => &[],
        };
        let mut out = Vec::new();
        for (t, spec) in self.tables.iter().enumerate() {
            if !secs.contains(&spec.section) {
                continue;
            }
            for (r, row) in spec.rows.iter().enumerate() {
                let ks = row.labels.iter().flat_map(|l| keys(l)).collect();
                out.push((t * 1000 + r, ks));
            }
        }
        out
    }

    /// The label text pieces read since the last row, at most the last 40.
    fn buf_window(&self) -> &[(String, Option<Pos>)] {
        &self.buf[self.buf.len().saturating_sub(40)..]
    }

    /// The printed column headers of table `t`, from the text read before its
    /// first row (the header row), when its schema lets a document record them.
    fn read_headers(&mut self, t: usize) {
        let Some(spec) = self.tables.get(t) else {
            return;
        };
        if spec.headers.is_none() || self.headers.contains_key(&t) {
            return;
        }
        let texts: Vec<&str> = self.buf_window().iter().map(|(s, _)| s.as_str()).collect();
        let found = headers::printed(&texts, &spec.columns);
        if !found.is_empty() {
            self.headers.insert(t, found);
        }
    }

    fn buf_text(&self) -> String {
        norm(
            &self
                .buf_window()
                .iter()
                .map(|(s, _)| s.as_str())
                .collect::<String>(),
        )
    }

    fn buf_pos(&self) -> Option<Pos> {
        self.buf.iter().find_map(|(_, p)| *p)
    }

    fn row_name(&self, t: usize, r: usize) -> String {
        let spec = &self.tables[t];
        let mut p: Vec<&str> = spec.path.clone();
        p.extend(spec.rows[r].path.iter());
        p.join(".")
    }

    /// Numbers printed with a currency unit, in the unit of their column (from the
    /// printed header when one was read, else the template's): converted exactly, or
    /// left out with a problem when the column names no unit. Never copied as printed.
    fn settle_units(&mut self, t: usize, name: &str, vals: Vec<Val>, pos: Option<Pos>) -> Vec<Val> {
        let tables = self.tables;
        let spec = &tables[t];
        vals.into_iter()
            .enumerate()
            .map(|(i, v)| {
                let Val::Amount(num, unit) = &v else {
                    return v;
                };
                let key = spec.columns.get(i).map_or("", |c| c.key);
                let printed_header = self
                    .headers
                    .get(&t)
                    .and_then(|hs| hs.iter().find(|(c, _)| *c == i))
                    .map(|(_, h)| h.as_str());
                let header = printed_header.or(spec.columns.get(i).map(|c| c.label));
                let cell = format!("{name}.{key}");
                match header.and_then(Unit::of_header) {
                    Some(col) if col == *unit => Val::Num(num.clone()),
                    Some(col) => {
                        let value = convert(num, *unit, col);
                        let msg = ImportMsg::Converted {
                            cell,
                            printed: v.printed(),
                            value: value.clone(),
                            unit: col.text().into(),
                        };
                        problem(&mut self.problems, Severity::Info, msg.to_string(), pos);
                        Val::Num(value)
                    }
                    None => {
                        let msg = ImportMsg::UnitMismatch {
                            cell,
                            printed: v.printed(),
                        };
                        problem(&mut self.problems, Severity::Warning, msg.to_string(), pos);
                        Val::Omitted
                    }
                }
            })
            .collect()
    }

    fn flush(&mut self) {
        if self.group.is_empty() {
            return;
        }
        let group = std::mem::take(&mut self.group);
        match self.section {
            Some(Section::Appeals) => self.appeals.extend(group),
            Some(Section::Active) | Some(Section::Requests) | None => self.place(group),
            _ => {}
        }
    }

    fn place(&mut self, group: Vec<(Val, Option<Pos>)>) {
        let vals: Vec<Val> = group.iter().map(|(v, _)| v.clone()).collect();
        let all_blank = vals.iter().all(|v| *v == Val::Blank);
        let gpos = group.iter().find_map(|(_, p)| *p);
        let cands = self.candidates();
        // A marked row is read by its own label cells; one without any (labels
        // lost in conversion) goes by row order when the previous row is known.
        let own = norm(&self.row_text);
        let labelled = self.in_row && !own.is_empty();
        let text = if self.in_row && (!own.is_empty() || self.last.is_some()) {
            own
        } else {
            self.buf_text()
        };
        let m = if text.is_empty() {
            None
        } else {
            match_tail(&text, &cands)
        };
        let m = m.map(|(id, kind, _)| (id / 1000, id % 1000, kind));
        let Some((t, r, kind)) = m else {
            self.unmatched(&text, vals, all_blank, labelled, gpos);
            return;
        };
        self.read_headers(t);
        let tables = self.tables;
        let spec = &tables[t];
        let name = self.row_name(t, r);
        let pos = self.buf_pos().or(gpos);
        match fit(&vals, spec.width(), spec.rule) {
            Fit::Exact(v) | Fit::Split(v) if all_blank && spec.rows[r].group => {
                // blank merged cells beside a group label
                let _ = v;
            }
            f @ (Fit::Exact(_) | Fit::Split(_)) => {
                let (v, split) = match f {
                    Fit::Exact(v) => (v, false),
                    Fit::Split(v) => (v, true),
                    _ => unreachable!(),
                };
                if split {
                    problem(
                        &mut self.problems,
                        Severity::Info,
                        ImportMsg::SplitChosen {
                            row: name.clone(),
                            cells: show(&v),
                        }
                        .to_string(),
                        gpos,
                    );
                }
                if kind != MatchKind::Exact {
                    problem(
                        &mut self.problems,
                        Severity::Info,
                        ImportMsg::ApproxLabel {
                            row: name.clone(),
                            text: tail(&text, 24),
                        }
                        .to_string(),
                        pos,
                    );
                }
                if spec.rows[r].group {
                    // the merged variant (2021 （六） printed as one row) is written exactly
                    // as printed, on the group key; a group given values beside its own
                    // sub-rows is a warning (see `read`)
                    problem(
                        &mut self.problems,
                        Severity::Info,
                        ImportMsg::GroupValues {
                            row: name.clone(),
                            format: self.version.name().into(),
                        }
                        .to_string(),
                        pos,
                    );
                }
                let v = self.settle_units(t, &name, v, gpos);
                match self.placed.entry((t, r)) {
                    std::collections::hash_map::Entry::Occupied(_) => problem(
                        &mut self.problems,
                        Severity::Warning,
                        ImportMsg::Twice { row: name.clone() }.to_string(),
                        pos,
                    ),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        let by_sum = split && spec.rule != SumRule::None;
                        e.insert(Placed {
                            inferred: if by_sum {
                                inferred(&vals, &v, &row_relation(spec))
                            } else {
                                Vec::new()
                            },
                            vals: v,
                            guessed: split && spec.rule == SumRule::None,
                        });
                    }
                }
                self.last = Some((t, r));
                self.last_extra_parent = None;
                self.buf.clear();
            }
            Fit::Ambiguous(a, b) => {
                problem(
                    &mut self.problems,
                    Severity::Error,
                    ImportMsg::Ambiguous {
                        row: name.clone(),
                        a: a.join(" "),
                        b: b.join(" "),
                    }
                    .to_string(),
                    gpos,
                );
                self.ambiguous.push(Pending {
                    t,
                    r,
                    vals: vals.clone(),
                    problem: self.problems.len() - 1,
                });
                self.failed.push((t, r));
                self.last = Some((t, r));
                self.buf.clear();
            }
            Fit::NoSplit => {
                problem(
                    &mut self.problems,
                    Severity::Error,
                    ImportMsg::NoSplit {
                        row: name.clone(),
                        vals: show(&vals),
                        width: spec.width(),
                    }
                    .to_string(),
                    gpos,
                );
                self.failed.push((t, r));
                self.last = Some((t, r));
                self.buf.clear();
            }
            Fit::TooMany(n) => {
                problem(
                    &mut self.problems,
                    Severity::Error,
                    ImportMsg::TooMany {
                        row: name.clone(),
                        n,
                        width: spec.width(),
                        vals: show(&vals),
                    }
                    .to_string(),
                    gpos,
                );
                self.failed.push((t, r));
                self.last = Some((t, r));
                self.buf.clear();
            }
            Fit::TooFew(_) if all_blank => {}
            Fit::TooFew(n) => {
                // A stray number near a label ("1" between label fragments): keep
                // waiting for the row's values.
                problem(
                    &mut self.problems,
                    Severity::Warning,
                    ImportMsg::TooFew {
                        row: name.clone(),
                        n,
                        vals: show(&vals),
                        width: spec.width(),
                    }
                    .to_string(),
                    gpos,
                );
            }
        }
    }

    /// Values whose label matches no template row. `labelled`: a marked row with label
    /// cells of its own; it is placed by row order only when its label is part of the
    /// next row's (a label cut by a page or cell break), never when it says something else.
    fn unmatched(
        &mut self,
        text: &str,
        vals: Vec<Val>,
        all_blank: bool,
        labelled: bool,
        gpos: Option<Pos>,
    ) {
        if all_blank {
            return;
        }
        let pos = self.buf_pos().or(gpos);
        // A row the template lacks, under a template row of section 二.
        if matches!(self.section, Some(Section::Active) | None) {
            if let Some((t, r, key)) = self.sub_row(text) {
                let tables = self.tables;
                let spec = &tables[t];
                match fit(&vals, spec.width(), spec.rule) {
                    Fit::Exact(v) | Fit::Split(v) => {
                        let row = format!("{}.{key}", self.row_name(t, r));
                        let v = self.settle_units(t, &row, v, pos);
                        let msg = ImportMsg::ExtraRow {
                            row: self.row_name(t, r),
                            key: key.clone(),
                        }
                        .to_string();
                        problem(&mut self.problems, Severity::Info, msg, pos);
                        self.extra.push(Extra {
                            table: t,
                            parent: r,
                            key,
                            vals: v,
                        });
                        self.last_extra_parent = Some((t, r));
                        self.buf.clear();
                        return;
                    }
                    _ => {}
                }
            }
        }
        // Labels lost in conversion, row order kept: the next template row.
        if self.section == Some(Section::Requests) {
            let next = self.next_row().filter(|&(t, r)| {
                !labelled
                    || self.tables[t].rows[r]
                        .labels
                        .iter()
                        .any(|l| norm(l).contains(text))
            });
            if let Some((t, r)) = next {
                let tables = self.tables;
                let spec = &tables[t];
                if let f @ (Fit::Exact(_) | Fit::Split(_)) = fit(&vals, spec.width(), spec.rule) {
                    let split = matches!(f, Fit::Split(_));
                    let guessed = split && spec.rule == SumRule::None;
                    let v = match f {
                        Fit::Exact(v) | Fit::Split(v) => v,
                        _ => unreachable!(),
                    };
                    let msg = ImportMsg::ByOrder {
                        vals: show(&v),
                        row: self.row_name(t, r),
                    }
                    .to_string();
                    problem(&mut self.problems, Severity::Warning, msg, gpos);
                    let cut = if split && !guessed {
                        inferred(&vals, &v, &row_relation(spec))
                    } else {
                        Vec::new()
                    };
                    let v = self.settle_units(t, &self.row_name(t, r), v, gpos);
                    self.placed.insert(
                        (t, r),
                        Placed {
                            vals: v,
                            guessed,
                            inferred: cut,
                        },
                    );
                    self.last = Some((t, r));
                    self.buf.clear();
                    return;
                }
            }
        }
        if self.section.is_none() {
            // numbers in the preamble (dates, phone numbers) before any section
            self.buf.clear();
            return;
        }
        let label = tail(text, 30);
        let msg = if label.is_empty() {
            ImportMsg::NoLabel { vals: show(&vals) }.to_string()
        } else {
            ImportMsg::Unrecognised {
                label,
                vals: show(&vals),
            }
            .to_string()
        };
        problem(&mut self.problems, Severity::Warning, msg, pos);
        self.buf.clear();
    }

    fn sub_row(&self, text: &str) -> Option<(usize, usize, String)> {
        for (t, spec) in self.tables.iter().enumerate() {
            if spec.section != Section::Active {
                continue;
            }
            for (r, row) in spec.rows.iter().enumerate() {
                for k in row.labels.iter().flat_map(|l| keys(l)) {
                    if let Some(at) = text.rfind(&k) {
                        let rest = &text[at + k.len()..];
                        if is_short_label(rest) {
                            return Some((t, r, rest.to_string()));
                        }
                    }
                }
            }
        }
        let (t, r) = self.last_extra_parent?;
        is_short_label(text).then(|| (t, r, text.to_string()))
    }

    /// The template row after the last one read, skipping groups and optional rows.
    fn next_row(&self) -> Option<(usize, usize)> {
        let (t, r) = self.last?;
        let spec = &self.tables[t];
        let next = spec
            .rows
            .iter()
            .enumerate()
            .skip(r + 1)
            .find(|(_, row)| !row.group && !row.optional)?
            .0;
        (!self.placed.contains_key(&(t, next)) && !self.failed.contains(&(t, next)))
            .then_some((t, next))
    }

    fn finish_appeals(&mut self) {
        let vals: Vec<(Val, Option<Pos>)> = std::mem::take(&mut self.appeals);
        if vals.is_empty() {
            return;
        }
        let Some(t) = self
            .tables
            .iter()
            .position(|s| s.section == Section::Appeals)
        else {
            return;
        };
        let pos = vals.iter().find_map(|(_, p)| *p);
        let v: Vec<Val> = vals.into_iter().map(|(v, _)| v).collect();
        let spec = &self.tables[t];
        let (cols, rule) = (spec.width().max(1), spec.rule);
        let width = cols * spec.rows.len();
        let rows = (0..spec.rows.len())
            .map(|r| self.row_name(t, r))
            .collect::<Vec<_>>()
            .join(", ");
        let (cells, cut) = match fit(&v, width, rule) {
            Fit::Exact(c) => (c, Vec::new()),
            Fit::Split(c) => {
                problem(
                    &mut self.problems,
                    Severity::Info,
                    ImportMsg::AppealsSplit { cells: show(&c) }.to_string(),
                    pos,
                );
                let cut = cut_cells(&v, &c);
                (c, cut)
            }
            Fit::Ambiguous(a, b) => {
                let msg = ImportMsg::AppealsAmbiguous {
                    a: a.join(" "),
                    b: b.join(" "),
                    rows,
                }
                .to_string();
                problem(&mut self.problems, Severity::Error, msg, pos);
                return;
            }
            _ => {
                let msg = ImportMsg::AppealsCount {
                    vals: show(&v),
                    width,
                    rows,
                }
                .to_string();
                problem(&mut self.problems, Severity::Error, msg, pos);
                return;
            }
        };
        let relation = row_relation(&self.tables[t]);
        for (r, chunk) in cells.chunks(cols).enumerate() {
            let vals = self.settle_units(t, &self.row_name(t, r), chunk.to_vec(), pos);
            let inferred = cut
                .iter()
                .filter(|&&i| i / cols == r)
                .map(|&i| (i % cols, relation.clone()))
                .collect();
            self.placed.insert(
                (t, r),
                Placed {
                    vals,
                    guessed: false,
                    inferred,
                },
            );
        }
    }
}

/// A row left out because its digits split more than one way.
#[derive(Debug, Clone)]
struct Pending {
    t: usize,
    r: usize,
    vals: Vec<Val>,
    /// Index of its problem in `State::problems` (replaced when settled).
    problem: usize,
}

impl State<'_> {
    /// Settle rows that split more than one way by the sums of their columns
    /// (section 三, both printed relations): 办理结果.总计 is the sum of the result
    /// rows, and 新收 + 上年结转 = 办理结果.总计 + 结转, column by column. A split is
    /// taken when every other row of a relation is read and exactly one split of
    /// the row gives each column its sum; it is an info naming the relation.
    fn settle_by_columns(&mut self) {
        loop {
            let mut settled = false;
            for i in 0..self.ambiguous.len() {
                let p = self.ambiguous[i].clone();
                let spec = &self.tables[p.t];
                if spec.rule != SumRule::LastIsSum {
                    continue;
                }
                let Some(cands) = candidates(&p.vals, spec.width(), spec.rule, 64) else {
                    continue;
                };
                let Some((target, relation)) = self.column_target(p.t, p.r) else {
                    continue;
                };
                let fits: Vec<Vec<Val>> = cands
                    .into_iter()
                    .filter(|c| {
                        c.len() == target.len()
                            && c.iter()
                                .zip(&target)
                                .all(|(v, want)| value(v) == Some(*want))
                    })
                    .collect();
                if let [only] = &fits[..] {
                    self.take_settled(&p, only.clone(), &relation);
                    settled = true;
                    break;
                }
            }
            if !settled && !self.settle_results_jointly() && !self.settle_tables_jointly() {
                return;
            }
        }
    }

    /// Take the split `vals` of pending row `p`, settled by `relation` (column sums): its
    /// problem becomes an info naming the relation, its cut cells are marked inferred.
    fn take_settled(&mut self, p: &Pending, vals: Vec<Val>, relation: &str) {
        let t = p.t;
        let name = self.row_name(t, p.r);
        if let Some(pr) = self.problems.get_mut(p.problem) {
            pr.severity = Severity::Info;
            pr.message = ImportMsg::SettledByColumns {
                row: name,
                cells: show(&vals),
                relation: relation.into(),
            }
            .to_string();
        }
        let both = format!("{relation}; {}", row_relation(&self.tables[t]));
        self.placed.insert(
            (t, p.r),
            Placed {
                inferred: inferred(&p.vals, &vals, &both),
                vals,
                guessed: false,
            },
        );
        self.failed.retain(|&f| f != (t, p.r));
        self.ambiguous.retain(|q| !(q.t == t && q.r == p.r));
    }

    /// Several rows of one side of a relation whose other side is one row
    /// (办理结果.总计 = Σ 办理结果) split more than one way: the combination of
    /// their splits that makes every column add up, when it is the only one (at
    /// most 4,096 combinations are tried).
    fn settle_results_jointly(&mut self) -> bool {
        let mut tables: Vec<usize> = self.ambiguous.iter().map(|p| p.t).collect();
        tables.dedup();
        for t in tables {
            let spec = &self.tables[t];
            for rel in &spec.relations {
                if let [total] = rel.left[..] {
                    if self.settle_jointly(t, total, &rel.right, &rel.text) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// [`Self::settle_results_jointly`] for one relation: row `total` of table
    /// `t` is the sum of rows `parts`.
    fn settle_jointly(&mut self, t: usize, total: usize, parts: &[usize], relation: &str) -> bool {
        let spec = &self.tables[t];
        let width = spec.width();
        let pending: Vec<Pending> = self
            .ambiguous
            .iter()
            .filter(|p| p.t == t && parts.contains(&p.r))
            .cloned()
            .collect();
        if pending.len() < 2 {
            return false;
        }
        let mut cands = Vec::new();
        let mut count = 1usize;
        for p in &pending {
            let Some(c) = candidates(&p.vals, width, spec.rule, 64) else {
                return false;
            };
            count = count.saturating_mul(c.len());
            cands.push(c);
        }
        if count > 4096 {
            return false;
        }
        // the total minus every known part: what the pending rows must add up to
        let get = |i: usize| self.row_numbers(t, i);
        let Some(mut target) = get(total) else {
            return false;
        };
        for &r in parts {
            if pending.iter().any(|p| p.r == r) {
                continue;
            }
            let Some(v) = get(r) else {
                return false;
            };
            for (a, b) in target.iter_mut().zip(v) {
                let Some(x) = a.checked_sub(b) else {
                    return false;
                };
                *a = x;
            }
        }
        let mut found: Vec<Vec<usize>> = Vec::new();
        for n in 0..count {
            let pick = combination(n, &cands);
            let ok = (0..width).all(|col| {
                let mut sum = 0i128;
                for (c, &i) in cands.iter().zip(&pick) {
                    match c[i].get(col).and_then(value) {
                        Some(v) => sum += v,
                        None => return false,
                    }
                }
                sum == target[col]
            });
            if ok {
                found.push(pick);
                if found.len() > 1 {
                    return false;
                }
            }
        }
        let [pick] = &found[..] else {
            return false;
        };
        for ((p, c), &i) in pending.iter().zip(&cands).zip(pick) {
            self.take_settled(p, c[i].clone(), relation);
        }
        true
    }

    /// What neither one row nor one relation settles, every relation of a table at
    /// once: rows of both sides left ambiguous (办理结果.总计 with result rows, 新收 with
    /// 上年结转), each combination of their splits (at most 4,096) checked against every
    /// relation whose rows are all read or pending. A row is taken when it is in such a
    /// relation and every combination that makes all of them add up gives it the same
    /// split: the printed digits and the printed sums leave it no other.
    fn settle_tables_jointly(&mut self) -> bool {
        let mut tables: Vec<usize> = self.ambiguous.iter().map(|p| p.t).collect();
        tables.sort_unstable();
        tables.dedup();
        tables.into_iter().any(|t| self.settle_table(t))
    }

    fn settle_table(&mut self, t: usize) -> bool {
        let spec = &self.tables[t];
        let width = spec.width();
        let pending: Vec<Pending> = self
            .ambiguous
            .iter()
            .filter(|p| p.t == t)
            .cloned()
            .collect();
        let is_pending = |r: usize| pending.iter().position(|p| p.r == r);
        // each relation's rows: a pending row by its index, a read row by its numbers
        enum Side {
            Pending(usize),
            Read(Vec<i128>),
        }
        let mut checkable: Vec<(&RowRelation, Vec<(i128, Side)>)> = Vec::new();
        'rel: for rel in &spec.relations {
            let mut rows = Vec::new();
            let mut merged = Vec::new();
            for (sign, &r) in rel
                .left
                .iter()
                .map(|r| (1, r))
                .chain(rel.right.iter().map(|r| (-1, r)))
            {
                // Each way of reading the row only when the one before it did not answer.
                if let Some(j) = is_pending(r) {
                    rows.push((sign, Side::Pending(j)));
                } else if let Some(v) = self.row_numbers(t, r) {
                    rows.push((sign, Side::Read(v)));
                } else if let Some((g, v)) = self.merged_group(t, r) {
                    // its group printed as one row (the 2021 （六） merged): the group's
                    // cells stand for the sum of its rows, once
                    if !merged.contains(&g) {
                        merged.push(g);
                        rows.push((sign, Side::Read(v)));
                    }
                } else {
                    continue 'rel;
                }
            }
            if rows.iter().any(|(_, s)| matches!(s, Side::Pending(_))) {
                checkable.push((rel, rows));
            }
        }
        if checkable.is_empty() {
            return false;
        }
        // each pending row's splits, as printed and as numbers (a split with a cell
        // that is not a whole number checks no sum)
        let mut splits: Vec<Vec<Vec<Val>>> = Vec::new();
        let mut cands: Vec<Vec<Vec<i128>>> = Vec::new();
        let mut count = 1usize;
        for p in &pending {
            let Some(c) = candidates(&p.vals, width, spec.rule, 64) else {
                return false;
            };
            let (vals, nums): (Vec<Vec<Val>>, Vec<Vec<i128>>) = c
                .into_iter()
                .filter_map(|v| {
                    let n = v.iter().map(value).collect::<Option<Vec<i128>>>()?;
                    Some((v, n))
                })
                .unzip();
            count = count.saturating_mul(nums.len());
            splits.push(vals);
            cands.push(nums);
        }
        if count == 0 || count > 4096 {
            return false;
        }
        let holds = |pick: &[usize]| {
            checkable.iter().all(|(_, rows)| {
                (0..width).all(|col| {
                    let mut sum = Some(0i128);
                    for (sign, side) in rows {
                        let v = match side {
                            Side::Pending(j) => cands[*j][pick[*j]].get(col).copied(),
                            Side::Read(v) => v.get(col).copied(),
                        };
                        sum = sum.zip(v).and_then(|(s, v)| s.checked_add(sign * v));
                    }
                    sum == Some(0)
                })
            })
        };
        let mut fits: Vec<Vec<usize>> = Vec::new();
        for n in 0..count {
            let pick = combination(n, &cands);
            if holds(&pick) {
                fits.push(pick);
            }
        }
        let Some(first) = fits.first().cloned() else {
            return false;
        };
        let mut settled = false;
        for (j, p) in pending.iter().enumerate() {
            let rels: Vec<&str> = checkable
                .iter()
                .filter(|(_, rows)| {
                    rows.iter()
                        .any(|(_, s)| matches!(s, Side::Pending(i) if *i == j))
                })
                .map(|(rel, _)| rel.text.as_str())
                .collect();
            if rels.is_empty() || fits.iter().any(|f| f[j] != first[j]) {
                continue;
            }
            let relation = rels.join("; ");
            self.take_settled(p, splits[j][first[j]].clone(), &relation);
            settled = true;
        }
        settled
    }

    /// For a row not read whose group row was printed as one row (values on the
    /// group, none on any of its rows, as the 2021 （六）其他处理 merged): the group
    /// and its cells as whole numbers.
    fn merged_group(&self, t: usize, r: usize) -> Option<(usize, Vec<i128>)> {
        let rows = &self.tables[t].rows;
        let path = &rows.get(r)?.path;
        let parent = &path[..path.len().checked_sub(1)?];
        let g = rows.iter().position(|x| x.group && x.path[..] == *parent)?;
        let sub_read = rows.iter().enumerate().any(|(i, x)| {
            i != g
                && x.path.starts_with(parent)
                && (self.placed.contains_key(&(t, i))
                    || self.ambiguous.iter().any(|p| p.t == t && p.r == i))
        });
        if sub_read {
            return None;
        }
        Some((g, self.row_numbers(t, g)?))
    }

    /// The cells of a read row as whole numbers, when every one is a number.
    fn row_numbers(&self, t: usize, r: usize) -> Option<Vec<i128>> {
        let p = self.placed.get(&(t, r))?;
        (p.vals.len() == self.tables[t].width())
            .then(|| p.vals.iter().map(value).collect::<Option<Vec<i128>>>())
            .flatten()
    }

    /// The values row `r` of table `t` must have, column by column, for a
    /// relation of its schema (`relations:`) whose other rows are all read;
    /// with the relation's text. Relations are tried in the schema's order.
    fn column_target(&self, t: usize, r: usize) -> Option<(Vec<i128>, String)> {
        let spec = &self.tables[t];
        let width = spec.width();
        let get = |i: usize| self.row_numbers(t, i);
        let sum = |rows: &[usize], sign: i128, acc: &mut Vec<i128>| -> Option<()> {
            for &i in rows.iter().filter(|&&i| i != r) {
                for (a, v) in acc.iter_mut().zip(get(i)?) {
                    *a = a.checked_add(sign.checked_mul(v)?)?;
                }
            }
            Some(())
        };
        spec.relations.iter().find_map(|rel| {
            let (same, other) = if rel.left.contains(&r) {
                (&rel.left, &rel.right)
            } else if rel.right.contains(&r) {
                (&rel.right, &rel.left)
            } else {
                return None;
            };
            let mut acc = vec![0i128; width];
            sum(other, 1, &mut acc)?;
            sum(same, -1, &mut acc)?;
            Some((acc, rel.text.clone()))
        })
    }
}

/// The `n`-th combination of one choice from each of `choices` (each non-empty),
/// as the index chosen in each: `n` read in the mixed radix of their lengths.
fn combination<T>(n: usize, choices: &[Vec<T>]) -> Vec<usize> {
    let mut k = n;
    choices
        .iter()
        .map(|c| {
            let i = k % c.len();
            k /= c.len();
            i
        })
        .collect()
}

/// A cell as a whole number, if it is one (a blank is no number).
fn value(v: &Val) -> Option<i128> {
    match v {
        Val::Num(s) => s.parse().ok(),
        _ => None,
    }
}

fn is_short_label(s: &str) -> bool {
    let n = s.chars().count();
    (2..=12).contains(&n) && s.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn tail(s: &str, n: usize) -> String {
    let c: Vec<char> = s.chars().collect();
    c[c.len().saturating_sub(n)..].iter().collect()
}

fn show(v: &[Val]) -> String {
    v.iter().map(Val::printed).collect::<Vec<_>>().join(" ")
}

/// How well a document's tables fit one format: the cells of its rows that are
/// printed as the template's columns (or cut by a sum). A cut of run-together
/// digits that no sum checks fits any column count, so it does not count.
fn fit_score(placed: &HashMap<(usize, usize), Placed>, extra: &[Extra]) -> usize {
    placed
        .values()
        .filter(|p| !p.guessed)
        .map(|p| p.vals.len())
        .sum::<usize>()
        + extra.iter().map(|e| e.vals.len()).sum::<usize>()
}

/// The tables of a document as read against one format's template.
pub struct Read {
    pub tables: Vec<TableSpec>,
    pub placed: HashMap<(usize, usize), Placed>,
    pub extra: Vec<Extra>,
    pub headers: HashMap<usize, Vec<(usize, String)>>,
    pub problems: Vec<Problem>,
}

impl Read {
    pub fn score(&self) -> usize {
        fit_score(&self.placed, &self.extra)
    }
}

/// Read the token stream against the template of `version`.
pub fn read(toks: &[Tok], version: Version) -> Read {
    let tables = super::template::tables(version);
    let problems = Vec::new();
    let mut st = State {
        tables: &tables,
        version,
        section: None,
        buf: Vec::new(),
        in_row: false,
        row_text: String::new(),
        group: Vec::new(),
        appeals: Vec::new(),
        appeals_seen: false,
        placed: HashMap::new(),
        failed: Vec::new(),
        ambiguous: Vec::new(),
        extra: Vec::new(),
        headers: HashMap::new(),
        last: None,
        last_extra_parent: None,
        problems,
    };
    for tok in toks {
        let tok = tok.clone();
        match tok.kind {
            TokKind::Heading(sec) => {
                st.flush();
                if st.section == Some(Section::Appeals) && sec != Section::Appeals {
                    st.finish_appeals();
                }
                st.appeals_seen |= sec == Section::Appeals;
                st.section = Some(sec);
                st.buf.clear();
                st.last = None;
            }
            TokKind::Text(s) | TokKind::Prose(s) => {
                st.flush();
                if st.in_row {
                    st.row_text.push_str(&s);
                }
                st.buf.push((s, tok.pos));
            }
            TokKind::Value(v) => st.group.push((v, tok.pos)),
            TokKind::RowStart => {
                st.flush();
                st.in_row = true;
                st.row_text.clear();
            }
            TokKind::RowEnd => {
                st.flush();
                st.in_row = false;
                st.row_text.clear();
            }
        }
    }
    st.flush();
    st.finish_appeals();
    st.settle_by_columns();

    // A group row given values beside values of its own sub-rows: which is right?
    let mut groups: Vec<(usize, usize)> = st.placed.keys().copied().collect();
    groups.sort_unstable();
    for (t, r) in groups {
        let spec = &tables[t];
        let row = &spec.rows[r];
        if row.group
            && spec.rows.iter().enumerate().any(|(o, x)| {
                x.path.len() > row.path.len()
                    && x.path.starts_with(&row.path)
                    && st.placed.contains_key(&(t, o))
            })
        {
            let name = st.row_name(t, r);
            problem(
                &mut st.problems,
                Severity::Warning,
                ImportMsg::GroupAndSubRows { row: name }.to_string(),
                None,
            );
        }
    }
    // What was not found.
    for (t, spec) in tables.iter().enumerate() {
        let any = (0..spec.rows.len())
            .any(|r| st.placed.contains_key(&(t, r)) || st.failed.contains(&(t, r)))
            || st.extra.iter().any(|e| e.table == t);
        let name = spec.path.join(".");
        if !any {
            let msg = if spec.section == Section::Appeals && !st.appeals_seen {
                ImportMsg::TableMissingNoHeading {
                    table: name.clone(),
                }
                .to_string()
            } else {
                ImportMsg::TableMissing {
                    table: name.clone(),
                }
                .to_string()
            };
            problem(&mut st.problems, Severity::Error, msg, None);
            continue;
        }
        for (r, row) in spec.rows.iter().enumerate() {
            let has_sub = st.extra.iter().any(|e| e.table == t && e.parent == r)
                || spec
                    .rows
                    .iter()
                    .any(|o| o.path.len() > row.path.len() && o.path.starts_with(&row.path));
            if row.group || row.optional || has_sub {
                continue;
            }
            if !st.placed.contains_key(&(t, r)) && !st.failed.contains(&(t, r)) {
                // a group row given values directly stands in for its children
                let parent_filled = (1..row.path.len()).any(|n| {
                    spec.rows.iter().enumerate().any(|(pr, p)| {
                        p.path[..] == row.path[..n] && st.placed.contains_key(&(t, pr))
                    })
                });
                if !parent_filled {
                    let msg = ImportMsg::RowMissing {
                        row: format!("{name}.{}", row.path.join(".")),
                    }
                    .to_string();
                    problem(&mut st.problems, Severity::Error, msg, None);
                }
            }
        }
    }
    let (placed, extra, headers, problems) = (st.placed, st.extra, st.headers, st.problems);
    Read {
        tables,
        placed,
        extra,
        headers,
        problems,
    }
}

//! The HTML report (`gouji lint --format html -o report.html`): one self-contained page —
//! inline CSS and script, no network — that an auditor can open from a USB stick.
//!
//! The page is rendered here, on the server side, as plain HTML: real `<table>`s drawn as
//! the official tables (labels from the schema, column groups and the corner note from the
//! table's `print:` block), the cells of every finding highlighted, the message and the
//! repair beside them. It reads, prints and searches (Ctrl-F) without its script; the
//! small script (`html/page.js`) only adds the filters and the search box. Only reports
//! with findings get a section, so the page grows with the findings, not with the files.
//!
//! Streaming, through the [`Renderer`] seam: the header opens the page; each report's
//! section is rendered on a worker, its buffer led by one JSON line with the few facts the
//! overview needs ([`Entry`]); `write` keeps that line and writes the section; the footer
//! writes the overview from the kept entries and closes the page. The overview comes last
//! in the file and is shown first (CSS `order`, and the script moves it).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::{FormatSpec, Renderer, Report, Run, Settings, Summary};
use crate::document::Document;
use crate::finding::{Finding, Severity};
use crate::messages::html::HtmlMsg as M;
use crate::schema::Schema;
use crate::source::Source;

mod tables;

use tables::{read_layouts, Layouts};

const CSS: &str = include_str!("html/page.css");
const JS: &str = include_str!("html/page.js");

pub const FORMAT: FormatSpec = FormatSpec {
    name: "html",
    about: crate::messages::render::RenderMsg::FormatHtml,
    binary: false,
    make: |_: &Settings| Box::new(Html::new()),
};

/// A report's result, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    Clean,
    Warning,
    Error,
    /// Not read, or of no known format: nothing was checked.
    Unreadable,
}

impl Status {
    fn class(self) -> &'static str {
        match self {
            Status::Clean => "s-clean",
            Status::Warning => "s-warning",
            Status::Error => "s-error",
            Status::Unreadable => "s-unreadable",
        }
    }

    fn word(self) -> M {
        match self {
            Status::Clean => M::Clean,
            Status::Warning => M::WithWarnings,
            Status::Error => M::WithErrors,
            Status::Unreadable => M::Unreadable,
        }
    }
}

/// What the overview needs to know of one report (its section is already written).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// The anchor of the report's section (`r` + a hash of its name).
    pub anchor: String,
    pub name: String,
    pub agency: Option<String>,
    pub year: Option<String>,
    pub status: Status,
    pub fully_checked: bool,
    /// Errors, warnings, notes.
    pub counts: [usize; 3],
    /// Per rule: its title and its errors, warnings and notes in this report.
    pub rules: Vec<(String, String, [usize; 3])>,
}

/// The HTML renderer.
#[derive(Default)]
pub struct Html {
    /// The overview's facts of every report so far, in input order.
    entries: Mutex<Vec<Entry>>,
    /// Each schema's print layouts by table path, read from its file once.
    layouts: Mutex<HashMap<usize, Arc<Layouts>>>,
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

fn escape_into(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
}

/// JSON that can sit inside `<script>`: `<`, `>`, `&` and the two line separators JavaScript
/// once refused are written as `\u` escapes, so no text can close the element.
pub fn script_json(value: &serde_json::Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(ch),
        }
    }
    out
}

/// A stable anchor for a report: FNV-1a of its name.
fn anchor(name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("r{h:016x}")
}

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

fn severity_word(s: Severity) -> M {
    match s {
        Severity::Error => M::Error,
        Severity::Warning => M::Warning,
        Severity::Info => M::Info,
    }
}

/// At most `max` characters, with an ellipsis when cut.
fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

impl Html {
    pub fn new() -> Html {
        Html::default()
    }

    /// The page up to the first report.
    pub fn page_header(&self) -> String {
        let mut o = String::with_capacity(CSS.len() + 2048);
        let _ = write!(
            o,
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"gouji {version}\">\n<title>{title}</title>\n\
             <style>\n{CSS}</style>\n</head>\n<body>\n\
             <header class=\"top\"><h1>{title}</h1><p class=\"gen\">{generator}</p>\
             <noscript><p class=\"noscript\">{nojs}</p></noscript></header>\n\
             <div class=\"page\" id=\"page\">\n<main id=\"reports\" aria-labelledby=\"reports-h\">\n\
             <h2 id=\"reports-h\">{reports}</h2>\n",
            lang = M::LangTag,
            version = env!("CARGO_PKG_VERSION"),
            title = escape(&M::PageTitle.to_string()),
            generator = escape(
                &M::Generator {
                    version: env!("CARGO_PKG_VERSION").into()
                }
                .to_string()
            ),
            nojs = escape(&M::JsOff.to_string()),
            reports = escape(&M::Reports.to_string()),
        );
        o
    }

    /// One report: its section (empty when it has no findings) and its overview entry.
    pub fn render(&self, report: &Report<'_>) -> (String, Entry) {
        let (name, source, doc, findings) =
            (report.name, report.source, report.document, report.findings);
        let known = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
        let (agency, year) = (known(&report.meta.agency), known(&report.meta.year));
        let mut counts = [0usize; 3];
        let mut rules: Vec<(String, String, [usize; 3])> = Vec::new();
        for f in findings {
            let k = severity_index(f.severity);
            counts[k] += 1;
            match rules.iter_mut().find(|r| r.0 == f.rule) {
                Some(r) => r.2[k] += 1,
                None => {
                    let mut c = [0; 3];
                    c[k] = 1;
                    rules.push((f.rule.clone(), f.title.clone(), c));
                }
            }
        }
        let unreadable = doc.is_none()
            || findings
                .iter()
                .any(|f| f.rule.starts_with("load/") || f.rule == "structure/unknown-format");
        let status = if unreadable {
            Status::Unreadable
        } else if counts[0] > 0 {
            Status::Error
        } else if counts[1] > 0 {
            Status::Warning
        } else {
            Status::Clean
        };
        let entry = Entry {
            anchor: anchor(name),
            name: name.to_string(),
            agency,
            year,
            status,
            fully_checked: report.meta.fully_checked,
            counts,
            rules,
        };
        if findings.is_empty() {
            return (String::new(), entry);
        }
        let mut o = String::with_capacity(16 * 1024);
        self.section(&mut o, &entry, source, doc, findings);
        (o, entry)
    }

    fn section(
        &self,
        o: &mut String,
        e: &Entry,
        source: &Source,
        doc: Option<&Document>,
        findings: &[Finding],
    ) {
        let title = match (&e.agency, &e.year) {
            (Some(a), Some(y)) => format!("{a} · {y}"),
            (Some(a), None) => a.clone(),
            _ => e.name.clone(),
        };
        let _ = write!(
            o,
            "<section class=\"report {cls}\" id=\"{id}\" data-agency=\"{agency}\" aria-labelledby=\"{id}-h\">\n\
             <header class=\"rh\"><h3 id=\"{id}-h\">{title}</h3>\
             <p class=\"meta\"><span class=\"path\">{path}</span>",
            cls = e.status.class(),
            id = e.anchor,
            agency = escape(e.agency.as_deref().unwrap_or("")),
            title = escape(&title),
            path = escape(&e.name),
        );
        if let Some(d) = doc {
            let _ = write!(
                o,
                " · {} {}",
                escape(&M::Format.to_string()),
                escape(&d.schema.name)
            );
        }
        let _ = write!(
            o,
            " · <span class=\"counts\">{}</span> · <a class=\"back\" href=\"#overview\">{}</a></p></header>\n\
             <div class=\"rb\">\n<div class=\"tables\">\n",
            escape(
                &M::FindingCount {
                    errors: e.counts[0],
                    warnings: e.counts[1],
                    infos: e.counts[2],
                }
                .to_string()
            ),
            escape(&M::Back.to_string()),
        );
        let fid = |i: usize| format!("{}-{}", e.anchor, i + 1);
        match doc {
            Some(doc) => tables::draw(o, doc, findings, &fid, &self.layouts(&doc.schema)),
            None => {
                let _ = writeln!(
                    o,
                    "<p class=\"notables\">{}</p>",
                    escape(&M::NoTables.to_string())
                );
            }
        }
        let _ = write!(
            o,
            "</div>\n<div class=\"side\"><h4>{}</h4>\n<ol class=\"findings\">\n",
            escape(&M::Findings.to_string())
        );
        for (i, f) in findings.iter().enumerate() {
            finding(o, source, f, &fid(i), i + 1);
        }
        o.push_str("</ol>\n</div>\n</div>\n</section>\n");
    }

    /// The schema file's `print:` blocks, by table path.
    fn layouts(&self, schema: &Arc<Schema>) -> Arc<Layouts> {
        let key = Arc::as_ptr(schema) as usize;
        let mut cache = match self.layouts.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        cache
            .entry(key)
            .or_insert_with(|| Arc::new(read_layouts(&schema.source.text)))
            .clone()
    }

    /// The overview, the filters and the script; closes the page.
    pub fn page_footer(&self, entries: &[Entry]) -> String {
        let mut o = String::with_capacity(64 * 1024);
        let with_findings = entries
            .iter()
            .filter(|e| e.counts.iter().sum::<usize>() > 0)
            .count();
        if with_findings == 0 {
            let _ = writeln!(
                o,
                "<p class=\"none\">{}</p>",
                escape(&M::NoneFound.to_string())
            );
        } else {
            let _ = writeln!(
                o,
                "<p class=\"nomatch\" id=\"nomatch\" hidden>{}</p>",
                escape(&M::NothingShown.to_string())
            );
        }
        o.push_str("</main>\n");
        overview(&mut o, entries);
        filters(&mut o, entries, with_findings);
        let strings = serde_json::json!({
            "shown": M::Shown { shown: "{shown}".into(), total: with_findings }.to_string(),
        });
        let _ = write!(
            o,
            "</div>\n<script type=\"application/json\" id=\"gouji-strings\">{}</script>\n<script>\n{JS}</script>\n</body>\n</html>\n",
            script_json(&strings)
        );
        o
    }
}

impl Renderer for Html {
    fn header(&mut self, _run: &Run, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(self.page_header().as_bytes())
    }

    /// The report's entry as one line of JSON, then its section.
    fn report(&self, report: &Report<'_>, out: &mut Vec<u8>) {
        let (section, entry) = self.render(report);
        // An entry always serialises; were it not to, the report would only miss the overview.
        let _ = serde_json::to_writer(&mut *out, &entry);
        out.push(b'\n');
        out.extend_from_slice(section.as_bytes());
    }

    fn write(&self, rendered: &[u8], out: &mut dyn Write) -> io::Result<()> {
        let cut = rendered
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(rendered.len());
        if let Ok(entry) = serde_json::from_slice::<Entry>(&rendered[..cut]) {
            self.entries
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(entry);
        }
        out.write_all(rendered.get(cut + 1..).unwrap_or_default())
    }

    fn footer(&mut self, _run: &Run, _summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        let entries = std::mem::take(self.entries.get_mut().unwrap_or_else(|e| e.into_inner()));
        out.write_all(self.page_footer(&entries).as_bytes())
    }
}

/// One finding in the list beside the tables.
fn finding(o: &mut String, source: &Source, f: &Finding, id: &str, n: usize) {
    let sev = f.severity.as_str();
    let at = source.position(f.span.start);
    let _ = write!(
        o,
        "<li class=\"f {sev}\" id=\"{id}\" data-rule=\"{rule}\" data-sev=\"{sev}\">\
         <div class=\"fh\"><span class=\"n\">{n}</span><span class=\"badge {sev}\">{word}</span>\
         <strong>{title}</strong></div>\
         <p class=\"where\"><code>{rule}</code> · {loc}</p>\
         <p class=\"msg\">{msg}</p>",
        rule = escape(&f.rule),
        word = escape(&severity_word(f.severity).to_string()),
        title = escape(&f.title),
        loc = escape(
            &M::At {
                line: at.line,
                column: at.column
            }
            .to_string()
        ),
        msg = escape(&f.message),
    );
    if f.fix.is_some() || f.help.is_some() {
        let _ = write!(
            o,
            "<div class=\"repair\"><span class=\"rl\">{}</span>",
            escape(&M::Repair.to_string())
        );
        for (fix, e) in f
            .fix
            .iter()
            .flat_map(|x| x.edits.iter().map(move |e| (x, e)))
        {
            let _ = write!(
                o,
                "<p class=\"fixline\"><span class=\"from\">{}</span> → <span class=\"to\">{}</span> <span class=\"res\">{}</span></p>",
                escape(&e.from),
                escape(e.to.as_deref().unwrap_or_default()),
                escape(&M::Resolves { n: fix.resolves.len() }.to_string())
            );
        }
        if let Some(help) = &f.help {
            let _ = write!(o, "<p class=\"help\">{}</p>", escape(help));
        }
        o.push_str("</div>");
    }
    if !f.cells.is_empty() {
        let _ = write!(
            o,
            "<details class=\"cells\"><summary>{} ({})</summary><ul>",
            escape(&M::Cells.to_string()),
            f.cells.len()
        );
        for c in &f.cells {
            let _ = write!(
                o,
                "<li>{} <b>{}</b>",
                escape(&c.label),
                escape(&clip(&c.value, 80))
            );
            if let Some(at) = super::elsewhere(c) {
                let _ = write!(o, " <span class=\"elsewhere\">{}</span>", escape(&at));
            }
            o.push_str("</li>");
        }
        o.push_str("</ul></details>");
    }
    o.push_str("</li>\n");
}

fn overview(o: &mut String, entries: &[Entry]) {
    let count = |p: &dyn Fn(&Entry) -> bool| entries.iter().filter(|e| p(e)).count();
    let files = entries.len();
    let fully = count(&|e| e.fully_checked);
    let errors = count(&|e| e.status == Status::Error);
    let warnings = count(&|e| e.status == Status::Warning);
    let clean = count(&|e| e.status == Status::Clean);
    let unreadable = count(&|e| e.status == Status::Unreadable);
    let total = |k: usize| entries.iter().map(|e| e.counts[k]).sum::<usize>();
    let _ = write!(
        o,
        "<section id=\"overview\" class=\"overview\" aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">{}</h2>\n<dl class=\"stats\">",
        escape(&M::Overview.to_string())
    );
    let stat = |o: &mut String, cls: &str, label: M, n: usize, title: Option<M>| {
        let t = title
            .map(|t| format!(" title=\"{}\"", escape(&t.to_string())))
            .unwrap_or_default();
        let _ = write!(
            o,
            "<div class=\"stat {cls}\"{t}><dt>{}</dt><dd>{n}</dd></div>",
            escape(&label.to_string())
        );
    };
    stat(o, "", M::FilesChecked, files, None);
    stat(o, "", M::FullyChecked, fully, Some(M::FullyCheckedHelp));
    stat(o, "s-error", M::WithErrors, errors, None);
    stat(o, "s-warning", M::WithWarnings, warnings, None);
    stat(o, "s-clean", M::Clean, clean, None);
    stat(o, "s-unreadable", M::Unreadable, unreadable, None);
    stat(o, "s-error", M::ErrorsTotal, total(0), None);
    stat(o, "s-warning", M::WarningsTotal, total(1), None);
    o.push_str("</dl>\n<div class=\"charts\">\n");
    by_rule(o, entries);
    grid(o, entries);
    o.push_str("</div>\n</section>\n");
}

fn by_rule(o: &mut String, entries: &[Entry]) {
    let mut rules: BTreeMap<&str, (&str, [usize; 3])> = BTreeMap::new();
    for e in entries {
        for (id, title, c) in &e.rules {
            let r = rules.entry(id).or_insert((title, [0; 3]));
            for (sum, n) in r.1.iter_mut().zip(c) {
                *sum += n;
            }
        }
    }
    if rules.is_empty() {
        return;
    }
    let mut rows: Vec<(&str, &str, [usize; 3])> =
        rules.into_iter().map(|(id, (t, c))| (id, t, c)).collect();
    rows.sort_by(|a, b| {
        b.2[0]
            .cmp(&a.2[0])
            .then(b.2[1].cmp(&a.2[1]))
            .then(a.0.cmp(b.0))
    });
    let max = rows
        .iter()
        .map(|r| r.2[0] + r.2[1] + r.2[2])
        .max()
        .unwrap_or(1)
        .max(1);
    let _ = write!(
        o,
        "<figure class=\"chart\"><figcaption><h3>{}</h3></figcaption>\n<table class=\"bars\">\
         <thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th><td aria-hidden=\"true\"></td></tr></thead>\n<tbody>\n",
        escape(&M::ByRule.to_string()),
        escape(&M::Rule.to_string()),
        escape(&M::ErrorsTotal.to_string()),
        escape(&M::WarningsTotal.to_string()),
        escape(&M::Info.to_string()),
    );
    for (id, title, c) in rows {
        let pct = |n: usize| n as f64 * 100.0 / max as f64;
        let _ = writeln!(
            o,
            "<tr><th scope=\"row\"><a href=\"#reports\" class=\"rulelink\" data-rule=\"{id}\"><code>{id}</code></a><span class=\"rt\" title=\"{title}\">{title}</span></th>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"bar\" aria-hidden=\"true\"><span class=\"be\" style=\"width:{:.1}%\"></span><span class=\"bw\" style=\"width:{:.1}%\"></span><span class=\"bi\" style=\"width:{:.1}%\"></span></td></tr>",
            c[0],
            c[1],
            c[2],
            pct(c[0]),
            pct(c[1]),
            pct(c[2]),
            id = escape(id),
            title = escape(title),
        );
    }
    o.push_str("</tbody></table></figure>\n");
}

/// Agencies down, years across, each cell coloured by the worst result of that agency's
/// reports for that year. Agencies with errors first.
fn grid(o: &mut String, entries: &[Entry]) {
    struct Agg<'e> {
        status: Status,
        errors: usize,
        warnings: usize,
        first: &'e Entry,
    }
    let unknown_agency = M::UnknownAgency.to_string();
    let unknown_year = M::UnknownYear.to_string();
    let mut years: BTreeSet<&str> = BTreeSet::new();
    let mut cells: HashMap<(&str, &str), Agg> = HashMap::new();
    let mut agencies: HashMap<&str, (Status, usize)> = HashMap::new();
    let mut unreadable = Vec::new();
    for e in entries {
        if e.status == Status::Unreadable && e.agency.is_none() {
            unreadable.push(e);
            continue;
        }
        let a = e.agency.as_deref().unwrap_or(&unknown_agency);
        let y = e.year.as_deref().unwrap_or(&unknown_year);
        years.insert(y);
        let agg = cells.entry((a, y)).or_insert(Agg {
            status: e.status,
            errors: 0,
            warnings: 0,
            first: e,
        });
        agg.errors += e.counts[0];
        agg.warnings += e.counts[1];
        // Link to the worst report of the cell.
        if e.status > agg.first.status {
            agg.first = e;
        }
        agg.status = agg.status.max(e.status);
        let ag = agencies.entry(a).or_insert((Status::Clean, 0));
        ag.0 = ag.0.max(e.status);
        ag.1 += e.counts[0];
    }
    let mut order: Vec<(&str, Status, usize)> =
        agencies.into_iter().map(|(a, (s, n))| (a, s, n)).collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
    let _ = writeln!(
        o,
        "<figure class=\"grid\"><figcaption><h3>{}</h3><p>{}</p>{}</figcaption>",
        escape(&M::Grid.to_string()),
        escape(&M::GridHelp.to_string()),
        legend()
    );
    if !order.is_empty() {
        let _ = write!(
            o,
            "<div class=\"gw\"><table class=\"ay\"><thead><tr><th scope=\"col\">{}</th>",
            escape(&M::Agency.to_string())
        );
        for y in &years {
            let _ = write!(o, "<th scope=\"col\">{}</th>", escape(y));
        }
        o.push_str("</tr></thead>\n<tbody>\n");
        for (a, _, _) in &order {
            let _ = write!(o, "<tr><th scope=\"row\">{}</th>", escape(a));
            for y in &years {
                match cells.get(&(*a, *y)) {
                    None => o.push_str("<td class=\"empty\"></td>"),
                    Some(agg) => {
                        let word = agg.status.word().to_string();
                        let text = match agg.status {
                            Status::Clean => "✓".to_string(),
                            Status::Error => agg.errors.to_string(),
                            Status::Warning => agg.warnings.to_string(),
                            Status::Unreadable => "×".to_string(),
                        };
                        let label = M::GridCell {
                            status: word,
                            errors: agg.errors,
                            warnings: agg.warnings,
                        }
                        .to_string();
                        if agg.status == Status::Clean {
                            let _ = write!(
                                o,
                                "<td class=\"{}\" title=\"{}\">{text}</td>",
                                agg.status.class(),
                                escape(&label)
                            );
                        } else {
                            let _ = write!(
                                o,
                                "<td class=\"{}\"><a href=\"#{}\" title=\"{label}\" aria-label=\"{label}\">{text}</a></td>",
                                agg.status.class(),
                                agg.first.anchor,
                                label = escape(&label)
                            );
                        }
                    }
                }
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody></table></div>\n");
    }
    if !unreadable.is_empty() {
        let _ = write!(
            o,
            "<h4>{}</h4><ul class=\"unreadable\">",
            escape(&M::Unreadable.to_string())
        );
        for e in unreadable {
            let _ = write!(
                o,
                "<li><a href=\"#{}\">{}</a></li>",
                e.anchor,
                escape(&e.name)
            );
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</figure>\n");
}

fn legend() -> String {
    let mut o = String::from("<ul class=\"legend\">");
    for s in [
        Status::Error,
        Status::Warning,
        Status::Clean,
        Status::Unreadable,
    ] {
        let _ = write!(
            o,
            "<li><span class=\"sw {}\"></span>{}</li>",
            s.class(),
            escape(&s.word().to_string())
        );
    }
    o.push_str("</ul>");
    o
}

fn filters(o: &mut String, entries: &[Entry], with_findings: usize) {
    if with_findings == 0 {
        return;
    }
    let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
    let mut agencies: BTreeSet<&str> = BTreeSet::new();
    for e in entries {
        for (id, _, c) in &e.rules {
            *rules.entry(id).or_default() += c.iter().sum::<usize>();
        }
        if e.counts.iter().sum::<usize>() > 0 {
            if let Some(a) = &e.agency {
                agencies.insert(a);
            }
        }
    }
    let all = escape(&M::All.to_string());
    let _ = write!(
        o,
        "<nav id=\"filters\" class=\"filters\" aria-label=\"{}\"><form id=\"filter-form\" onsubmit=\"return false\">\
         <label>{} <select id=\"f-rule\"><option value=\"\">{all}</option>",
        escape(&M::Filters.to_string()),
        escape(&M::FilterRule.to_string()),
    );
    for (id, n) in &rules {
        let _ = write!(o, "<option value=\"{0}\">{0} ({n})</option>", escape(id));
    }
    let _ = write!(
        o,
        "</select></label> <label>{} <select id=\"f-sev\"><option value=\"\">{all}</option>\
         <option value=\"error\">{}</option><option value=\"warning\">{}</option><option value=\"info\">{}</option></select></label> \
         <label>{} <input id=\"f-agency\" list=\"agencies\" autocomplete=\"off\"></label><datalist id=\"agencies\">",
        escape(&M::FilterSeverity.to_string()),
        escape(&M::Error.to_string()),
        escape(&M::Warning.to_string()),
        escape(&M::Info.to_string()),
        escape(&M::FilterAgency.to_string()),
    );
    for a in &agencies {
        let _ = write!(o, "<option value=\"{}\">", escape(a));
    }
    let _ = writeln!(
        o,
        "</datalist> <label>{} <input id=\"f-q\" type=\"search\" placeholder=\"{}\"></label> \
         <output id=\"f-shown\" aria-live=\"polite\">{}</output></form></nav>",
        escape(&M::Search.to_string()),
        escape(&M::SearchPlaceholder.to_string()),
        escape(
            &M::Shown {
                shown: with_findings.to_string(),
                total: with_findings
            }
            .to_string()
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<img src=x onerror="a('b')">&"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;"
        );
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let v = serde_json::json!({"s": "</script><script>alert(1)</script>\u{2028}&"});
        let text = script_json(&v);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        assert!(!text.contains('\u{2028}'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v, "the escapes read back as the same JSON");
    }
}

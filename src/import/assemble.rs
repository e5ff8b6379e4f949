//! A whole report: the format version decided from its tables, 机关/年度 from
//! the title, the tables read (see `rows.rs`) and the prose.

use std::collections::HashMap;

use super::meta;
use super::normalise::norm;
use super::prose::prose;
use super::rows::{problem, read, Extra, Placed, Read};
use super::template::{Section, TableSpec, Version};
use super::tokens::{Block, Tok, TokKind};
use super::Problem;
use super::Severity;
use crate::messages::import::{ImportMsg, RefuseMsg};

/// Everything the importer read from one report.
#[derive(Debug)]
pub struct Report {
    pub version: Version,
    pub tables: Vec<TableSpec>,
    pub placed: HashMap<(usize, usize), Placed>,
    pub extra: Vec<Extra>,
    /// Printed column headers that differ from the template's, by table:
    /// (column index, text as printed). Only for tables with `headers`.
    pub headers: HashMap<usize, Vec<(usize, String)>>,
    pub agency: Option<String>,
    pub year: Option<u32>,
    /// The publication date the page shows (`发布时间：2021-01-29`), as YYYY-MM-DD.
    pub published: Option<String>,
    /// 总体情况, 问题改进, 其他事项
    pub prose: [Option<String>; 3],
    pub problems: Vec<Problem>,
}

/// The text of the table sections (and of what comes before any heading), in
/// which a format's fingerprints are looked for — never prose.
fn table_text(toks: &[Tok]) -> String {
    let mut all = String::new();
    let mut section = None;
    for t in toks {
        match &t.kind {
            TokKind::Heading(sec) => section = Some(*sec),
            TokKind::Text(s)
                if matches!(section, None | Some(Section::Active | Section::Requests)) =>
            {
                all.push_str(s);
                all.push('\n');
            }
            _ => {}
        }
    }
    norm(&all)
}

/// How many of a format's fingerprints (schema `import: {fingerprints}`: words
/// only its tables print) the table text holds.
fn table_words(text: &str, v: Version) -> usize {
    v.fingerprints()
        .iter()
        .filter(|f| text.contains(&norm(f)))
        .count()
}

/// Read a whole report from its blocks; `cells_only`: numbers only from table
/// cells (HTML, DOCX; see [`super::tokens::tokenize`]).
pub fn assemble(blocks: &[Block], cells_only: bool) -> Result<Report, RefuseMsg> {
    let mut problems = Vec::new();
    let meta::Title {
        agency,
        year,
        published,
        pos: title_pos,
    } = meta::title(blocks);
    if agency.is_none() || year.is_none() {
        problem(
            &mut problems,
            Severity::Warning,
            ImportMsg::NoTitle.to_string(),
            title_pos,
        );
    }
    // before the first year any format is for (schema `import: {years}`)
    if let (Some(y), Some(first)) = (year, Version::first_year()) {
        if i64::from(y) < first {
            return Err(RefuseMsg::PreTemplate { year: y });
        }
    }
    let toks: Vec<Tok> = super::tokens::tokenize(blocks, cells_only);
    // The format is the one whose tables the document prints: the column headers and
    // rows only one format has (its schema's fingerprints), read in the text of the
    // table sections and never in prose; then the rows and columns the document
    // fills (a 2019 第五项 row has three cells, a 2021 one one); then the year.
    let text = table_text(&toks);
    let reads: Vec<(Version, usize, usize, Read)> = Version::all()
        .into_iter()
        .map(|v| {
            let r = read(&toks, v);
            (v, table_words(&text, v), r.score(), r)
        })
        .collect();
    if reads.iter().all(|(_, _, score, _)| *score == 0) {
        return Err(RefuseMsg::NoTable);
    }
    let by_year = year.and_then(Version::for_year);
    // the most fingerprints, then the most cells read; a tie goes to the year's format
    let best = reads
        .iter()
        .map(|(_, words, score, _)| (*words, *score))
        .max()
        .unwrap_or_default();
    let tied: Vec<Version> = reads
        .iter()
        .filter(|(_, w, s, _)| (*w, *s) == best)
        .map(|(v, ..)| *v)
        .collect();
    let version = match (&tied[..], by_year) {
        ([only], _) => *only,
        (_, Some(v)) if tied.contains(&v) => v,
        _ => {
            problem(
                &mut problems,
                Severity::Error,
                ImportMsg::FormatTie.to_string(),
                None,
            );
            tied.last().copied().unwrap_or(Version::V2021)
        }
    };
    if let (Some(y), Some(expected)) = (year, by_year) {
        if expected != version {
            problem(
                &mut problems,
                Severity::Warning,
                ImportMsg::FormatYear {
                    year: y,
                    expected: expected.name().into(),
                    found: version.name().into(),
                }
                .to_string(),
                None,
            );
        }
    }
    let Some((.., r)) = reads.into_iter().find(|(v, ..)| *v == version) else {
        return Err(RefuseMsg::NoTable);
    };
    problems.extend(r.problems);
    Ok(Report {
        version,
        tables: r.tables,
        placed: r.placed,
        extra: r.extra,
        headers: r.headers,
        agency,
        year,
        published,
        prose: prose(blocks),
        problems,
    })
}

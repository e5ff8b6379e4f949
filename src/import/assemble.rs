//! A whole report: the format version decided from its tables, 机关/年度 from
//! the title, the tables read (see `rows.rs`) and the prose.

use std::collections::HashMap;

use super::meta;
use super::normalise::norm;
use super::prose::prose;
use super::rows::{problem, read, Extra, Placed};
use super::template::{self as labels, Section, TableSpec, Version};
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

/// Words only one format's tables print (`labels::FINGERPRINTS_*`), counted in
/// table text only — never in prose.
fn table_words(toks: &[Tok]) -> (usize, usize) {
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
    let all = norm(&all);
    let count = |fps: &[&str]| fps.iter().filter(|f| all.contains(&norm(f))).count();
    (
        count(&labels::FINGERPRINTS_2019),
        count(&labels::FINGERPRINTS_2021),
    )
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
    if year.is_some_and(|y| y < 2019) {
        return Err(RefuseMsg::PreTemplate {
            year: year.unwrap_or_default(),
        });
    }
    let toks: Vec<Tok> = super::tokens::tokenize(blocks, cells_only);
    // The format is the one whose tables the document prints: the column headers and
    // rows only one format has (2019: 本年新制作数量, 上一年项目数量, 其他对外管理服务事项,
    // 第（九）项; 2021: 本年制发件数, 本年处理决定数量, 行政规范性文件, …), read in the
    // text of the table sections and never in prose; then the rows and columns the
    // document fills (a 2019 第五项 row has three cells, a 2021 one one); then the year.
    let a = read(&toks, Version::V2019);
    let b = read(&toks, Version::V2021);
    let (sa, sb) = (a.score(), b.score());
    if sa == 0 && sb == 0 {
        return Err(RefuseMsg::NoTable);
    }
    let by_year = year.map(|y| {
        if y >= 2021 {
            Version::V2021
        } else {
            Version::V2019
        }
    });
    let (wa, wb) = table_words(&toks);
    let version = if wa != wb {
        if wa > wb {
            Version::V2019
        } else {
            Version::V2021
        }
    } else if sa != sb {
        if sa > sb {
            Version::V2019
        } else {
            Version::V2021
        }
    } else if let Some(v) = by_year {
        v
    } else {
        problem(
            &mut problems,
            Severity::Error,
            ImportMsg::FormatTie.to_string(),
            None,
        );
        Version::V2021
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
    let r = if version == Version::V2019 { a } else { b };
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

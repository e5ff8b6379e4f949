//! Metadata readers: 机关 and 年度 from the report's title, and the publication date a
//! page shows, with the furniture a crawler or a web page puts around the title
//! (`标题:`, `来源:`, `发布时间:`, breadcrumbs, view counters) kept out of them.

use std::sync::LazyLock;

use regex::Regex;

use super::tokens::{headings, Block, Pos};

/// What the title lines say.
#[derive(Debug, Default)]
pub struct Title {
    pub agency: Option<String>,
    pub year: Option<u32>,
    /// The publication date the page shows, as YYYY-MM-DD.
    pub published: Option<String>,
    /// Where the title (or the first line read for it) is.
    pub pos: Option<Pos>,
}

static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<a>.*?)[（(]?(?P<y>(?:19|20)\d{2})\s*年\s*度?[）)]?(?P<b>.*?)政府信息公开(?:工作)?(?:年度)?报告").expect("static regex")
});

/// A field of page furniture at the start of a line: `来源：…`, `发布时间：…`, ….
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^\s*[【\[]?\s*(?:信息来源|来源|发布机构|发文机关|发布单位|作者|编辑|责任编辑|审核|",
        r"浏览次数|浏览量|点击数|点击量|访问次数|阅读次数|字号|字体|打印|关闭|分享|索引号|文号|发文字号|",
        r"主题分类|分类|URL|Url|url|网址|链接|原文链接|发布时间|发布日期|成文日期|生成日期|更新时间|时间|日期)",
        r"\s*[】\]]?\s*[:：]"
    ))
    .expect("static regex")
});

/// `标题：…` before the title itself.
static TITLE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:标题|题目|文章标题|名称)\s*[:：]\s*").expect("static regex")
});

/// A breadcrumb trail or a position line (`首页 > 政务公开 > 年报`, `当前位置：…`).
static BREADCRUMB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^\s*(?:当前位置|您的位置|您现在的位置|所在位置)\s*[:：]?)|(?:\S\s*[>＞»›]\s*\S.*[>＞»›])|(?:^\s*首页\s*[>＞»›/])")
        .expect("static regex")
});

/// A date after a publication label: `发布时间：2021-01-29`, `发布日期：2021年1月29日`.
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:发布时间|发布日期|成文日期|日期|时间)\s*[】\]]?\s*[:：]|发布于)\s*(?P<y>(?:19|20)\d{2})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})")
        .expect("static regex")
});

/// The publication date a line shows, as YYYY-MM-DD.
fn published(line: &str) -> Option<String> {
    let c = PUBLISHED.captures(line)?;
    let y: u32 = c.name("y")?.as_str().parse().ok()?;
    let m: u32 = c.name("m")?.as_str().parse().ok()?;
    let d: u32 = c.name("d")?.as_str().parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Whether a line is page furniture around the title (not part of it).
fn is_furniture(line: &str) -> bool {
    FIELD.is_match(line) || BREADCRUMB.is_match(line)
}

/// (agency, year) of one candidate title text.
fn parse_title(text: &str) -> Option<(Option<String>, u32)> {
    let joined: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let c = TITLE.captures(&joined)?;
    let year = c.name("y")?.as_str().parse().ok()?;
    let clean = |s: &str| {
        // punctuation around the name, and a leading 关于 ("关于某局2023年…的报告");
        // never the characters 关 or 于 of the name itself (南京海关, 样例机关)
        let trim = |s: &str| -> String {
            s.trim_matches(|c: char| c.is_whitespace() || "：:—-·_|《》".contains(c))
                .to_string()
        };
        let s = trim(s);
        let s = trim(s.strip_prefix("关于").unwrap_or(&s));
        (!s.is_empty()).then(|| s.to_string())
    };
    let agency = c
        .name("a")
        .and_then(|a| clean(a.as_str()))
        .or_else(|| c.name("b").and_then(|b| clean(b.as_str())));
    Some((agency, year))
}

/// 机关, 年度 and the publication date from the lines before the first section.
/// A title may be wrapped over two or three lines (PDFs); furniture lines are skipped,
/// a `标题：` prefix dropped.
pub fn title(blocks: &[Block]) -> Title {
    let mut out = Title::default();
    let mut lines: Vec<(String, Option<Pos>)> = Vec::new();
    for b in blocks.iter().take(60) {
        let (text, pos) = match b {
            Block::Line { text, pos } => (text.trim(), *pos),
            _ => break,
        };
        if text.is_empty() {
            continue;
        }
        if out.published.is_none() {
            out.published = published(text);
        }
        if let Some(m) = TITLE_FIELD.find(text) {
            lines.push((text[m.end()..].to_string(), pos));
            continue;
        }
        if is_furniture(text) {
            continue;
        }
        if !headings(text).is_empty() || text.starts_with("根据") || text.starts_with("本报告")
        {
            break;
        }
        lines.push((text.to_string(), pos));
    }
    out.pos = lines.first().and_then(|(_, p)| *p);
    let mut fallback = None;
    for i in 0..lines.len() {
        if !lines[i].0.contains("报告") {
            continue;
        }
        let windows = [(i, i), (i.saturating_sub(1), i), (i.saturating_sub(2), i)];
        for (from, to) in windows {
            let text: String = lines[from..=to].iter().map(|(t, _)| t.as_str()).collect();
            match parse_title(&text) {
                Some((Some(agency), year)) => {
                    out.agency = Some(agency);
                    out.year = Some(year);
                    out.pos = lines[from].1;
                    return out;
                }
                Some((None, year)) if fallback.is_none() => fallback = Some((year, lines[from].1)),
                _ => {}
            }
        }
    }
    if let Some((year, pos)) = fallback {
        out.year = Some(year);
        out.pos = pos;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Block> {
        text.lines()
            .map(|l| Block::Line {
                text: l.into(),
                pos: None,
            })
            .collect()
    }

    #[test]
    fn crawler_header_and_breadcrumbs_stay_out_of_the_agency() {
        let t = title(&lines(
            "标题:平潭综合实验区2020年政府信息公开工作年度报告\n来源:平潭综合实验区管委会办公室\n发布时间:2021-01-29 09:30\n首页 > 政务公开 > 政府信息公开年报\n根据《中华人民共和国政府信息公开条例》",
        ));
        assert_eq!(t.agency.as_deref(), Some("平潭综合实验区"));
        assert_eq!(t.year, Some(2020));
        assert_eq!(t.published.as_deref(), Some("2021-01-29"));
    }

    #[test]
    fn an_agency_ending_in_guan_keeps_it_and_a_leading_guanyu_goes() {
        for (line, agency) in [
            ("南京海关2023年政府信息公开工作年度报告", "南京海关"),
            ("样例机关2023年政府信息公开工作年度报告", "样例机关"),
            ("关于南京海关2023年政府信息公开工作年度报告", "南京海关"),
        ] {
            assert_eq!(
                title(&lines(line)).agency.as_deref(),
                Some(agency),
                "{line}"
            );
        }
    }

    #[test]
    fn breadcrumbs_before_a_wrapped_title() {
        let t = title(&lines(
            "当前位置：首页 > 信息公开 > 年度报告\n【字体：大 中 小】 浏览次数：123\n淮安市人民政府\n2024年政府信息公开工作年度报告\n发布日期：2025年1月20日",
        ));
        assert_eq!(t.agency.as_deref(), Some("淮安市人民政府"));
        assert_eq!(t.year, Some(2024));
        assert_eq!(
            t.published.as_deref(),
            Some("2025-01-20"),
            "shown after the title"
        );
        let t = title(&lines(
            "北京市朝阳区政务服务管理局2020年政府信息公开工作年度报告",
        ));
        assert_eq!(t.agency.as_deref(), Some("北京市朝阳区政务服务管理局"));
        assert_eq!(t.published, None);
    }
}

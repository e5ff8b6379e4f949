//! The run's statistics: findings by rule, the files with the most errors, and reports by
//! agency and year (from each report's 机关 and 年度). Printed after every human run and
//! alone with `--statistics`, on stderr.

use std::collections::BTreeMap;

use super::Meta;
use crate::finding::{Finding, Severity};
use crate::messages::render::RenderMsg;

/// How many files the "most errors" list names.
const WORST: usize = 10;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleCount {
    pub title: String,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupCount {
    pub files: usize,
    /// Reports with at least one error.
    pub failing: usize,
    pub errors: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Statistics {
    pub by_rule: BTreeMap<String, RuleCount>,
    /// (errors, file), the most errors first; at most [`WORST`].
    pub worst: Vec<(usize, String)>,
    /// (机关, 年度) → counts; reports without them are grouped under empty strings.
    pub by_agency_year: BTreeMap<(String, String), GroupCount>,
}

/// What one report adds to the statistics (built on the worker, added in order).
#[derive(Debug, Clone, Default)]
pub struct FileStats {
    pub name: String,
    pub agency: Option<String>,
    pub year: Option<String>,
    /// (rule, title, severity) of every finding shown.
    pub findings: Vec<(String, String, Severity)>,
}

/// The statistics in the JSON summary (docs/json-output.md): rules the most errors first,
/// the files with the most errors, reports by agency and year (`null` where not written).
impl serde::Serialize for Statistics {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Rule<'a> {
            rule: &'a str,
            title: &'a str,
            errors: usize,
            warnings: usize,
            infos: usize,
        }
        #[derive(serde::Serialize)]
        struct File<'a> {
            file: &'a str,
            errors: usize,
        }
        #[derive(serde::Serialize)]
        struct Group<'a> {
            agency: Option<&'a str>,
            year: Option<&'a str>,
            files: usize,
            failing: usize,
            errors: usize,
        }
        /// A table written item by item from the statistics (at 40,000 agencies, a list
        /// of them built first was a peak of memory that grew with the reports).
        struct Items<I>(std::cell::Cell<Option<I>>);
        impl<I: Iterator<Item = T>, T: serde::Serialize> serde::Serialize for Items<I> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.take().into_iter().flatten())
            }
        }
        fn items<I: Iterator>(items: I) -> Items<I> {
            Items(std::cell::Cell::new(Some(items)))
        }
        #[derive(serde::Serialize)]
        struct Out<A, B, C> {
            by_rule: A,
            most_errors: B,
            by_agency_year: C,
        }
        fn given(x: &str) -> Option<&str> {
            (!x.is_empty()).then_some(x)
        }
        Out {
            by_rule: self
                .rules_by_errors()
                .into_iter()
                .map(|(id, c)| Rule {
                    rule: id,
                    title: &c.title,
                    errors: c.errors,
                    warnings: c.warnings,
                    infos: c.infos,
                })
                .collect::<Vec<_>>(),
            most_errors: items(self.worst.iter().map(|(errors, file)| File {
                file,
                errors: *errors,
            })),
            by_agency_year: items(self.by_agency_year.iter().map(|((agency, year), g)| Group {
                agency: given(agency),
                year: given(year),
                files: g.files,
                failing: g.failing,
                errors: g.errors,
            })),
        }
        .serialize(s)
    }
}

impl FileStats {
    pub fn new(name: &str, meta: &Meta, findings: &[Finding]) -> FileStats {
        FileStats {
            name: name.to_string(),
            agency: meta.agency.clone(),
            year: meta.year.clone(),
            findings: findings
                .iter()
                .map(|f| (f.rule.clone(), f.title.clone(), f.severity))
                .collect(),
        }
    }
}

impl Statistics {
    pub fn add(&mut self, file: FileStats) {
        let mut errors = 0;
        for (rule, title, severity) in file.findings {
            let c = self.by_rule.entry(rule).or_insert_with(|| RuleCount {
                title,
                ..RuleCount::default()
            });
            match severity {
                Severity::Error => {
                    c.errors += 1;
                    errors += 1;
                }
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        let key = (
            file.agency.unwrap_or_default(),
            file.year.unwrap_or_default(),
        );
        let g = self.by_agency_year.entry(key).or_default();
        g.files += 1;
        g.errors += errors;
        if errors > 0 {
            g.failing += 1;
            let at = self.worst.partition_point(|(e, _)| *e >= errors);
            if at < WORST {
                self.worst.insert(at, (errors, file.name));
                self.worst.truncate(WORST);
            }
        }
    }

    /// The rules that were reported, the most errors (then warnings) first.
    pub fn rules_by_errors(&self) -> Vec<(&String, &RuleCount)> {
        let mut rules: Vec<(&String, &RuleCount)> = self.by_rule.iter().collect();
        rules.sort_by(|a, b| {
            (b.1.errors, b.1.warnings)
                .cmp(&(a.1.errors, a.1.warnings))
                .then(a.0.cmp(b.0))
        });
        rules
    }

    /// The tables, for stderr.
    pub fn text(&self) -> String {
        let mut o = Vec::new();
        let _ = self.write_text(&mut o);
        String::from_utf8_lossy(&o).into_owned()
    }

    /// The tables, written line by line (with one line per agency and year, the text of a
    /// run over 40,000 agencies built whole was megabytes held at the end of the run).
    pub fn write_text(&self, o: &mut dyn std::io::Write) -> std::io::Result<()> {
        if !self.by_rule.is_empty() {
            writeln!(o, "{}", RenderMsg::ByRule)?;
            for (id, c) in self.rules_by_errors() {
                let line = RenderMsg::RuleLine {
                    id: id.clone(),
                    title: c.title.clone(),
                    errors: c.errors,
                    warnings: c.warnings,
                };
                writeln!(o, "{}", super::human::escape(&line.to_string()))?;
            }
        }
        if !self.worst.is_empty() {
            writeln!(o, "{}", RenderMsg::WorstFiles)?;
            for (errors, name) in &self.worst {
                let line = RenderMsg::FileLine {
                    name: name.clone(),
                    errors: *errors,
                };
                writeln!(o, "{}", super::human::escape(&line.to_string()))?;
            }
        }
        let named = self
            .by_agency_year
            .keys()
            .any(|(a, y)| !a.is_empty() || !y.is_empty());
        if named {
            writeln!(o, "{}", RenderMsg::ByAgency)?;
            let unknown = RenderMsg::Unknown.to_string();
            let or_unknown = |s: &String| {
                if s.is_empty() {
                    unknown.clone()
                } else {
                    s.clone()
                }
            };
            for ((agency, year), g) in &self.by_agency_year {
                let line = RenderMsg::AgencyLine {
                    agency: or_unknown(agency),
                    year: or_unknown(year),
                    files: g.files,
                    failing: g.failing,
                    errors: g.errors,
                };
                writeln!(o, "{}", super::human::escape(&line.to_string()))?;
            }
        }
        Ok(())
    }
}

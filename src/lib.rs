//! gouji (勾稽): a rules-engine linter for tabular YAML reports.
//!
//! load (file → spanned YAML) → document (bound to a schema) → rules (parse → check → compile)
//! → eval → findings → render (human / JSON / SARIF / GitHub).

pub mod baseline;
pub mod config;
pub mod document;
pub mod engine;
pub mod explain;
pub mod finding;
pub mod fix;
pub mod import;
pub mod keys;
pub mod lint;
pub mod load;
pub mod lsp;
pub mod messages;
pub mod project;
pub mod render;
pub mod repair;
pub mod rules;
pub mod schema;
pub mod source;
pub mod suppress;
pub mod usage;
pub mod value;
pub mod yaml;

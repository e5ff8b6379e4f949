//! `gouji lsp`: a language server over standard input and output.
//!
//! It checks reports with the same engine, configuration and prior-year lookup as
//! `gouji lint`, and rule files and `gouji.toml` as the engine loads them. Built on
//! `lsp-server` + `lsp-types` (synchronous, as rust-analyzer and ruff use them): the
//! engine is CPU-bound and single-document checks take milliseconds, so no async runtime.
//!
//! | module | one job |
//! |---|---|
//! | `server` | the loop: requests, notifications, debounced checks |
//! | `documents` | open documents, incremental edits, positions in the negotiated encoding |
//! | `workspace` | engines per `gouji.toml`, last year's reports, where rules are written |
//! | `diagnostics` | findings, rule-file and config errors → diagnostics |
//! | `actions` | quick fix from a finding's repair; the inline ignore comment |
//! | `hover` | a cell's labels, value and rules; a rule's documentation |
//! | `completion` | paths, functions and placeholders in rule files |

mod actions;
mod completion;
mod diagnostics;
pub mod documents;
mod hover;
mod server;
mod workspace;

use std::time::Duration;

use lsp_server::Connection;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    HoverProviderCapability, InitializeParams, OneOf, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind,
};

pub use documents::Encoding;

/// How long the client must be quiet after a change before the document is checked.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

fn capabilities(enc: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(enc.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "「".into(), "{".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// Serve one client on standard input and output until it shuts down.
pub fn run() -> Result<(), String> {
    let (conn, io) = Connection::stdio();
    serve(&conn)?;
    drop(conn);
    io.join().map_err(|e| e.to_string())
}

/// The protocol from `initialize` to `shutdown` on a connection.
pub fn serve(conn: &Connection) -> Result<(), String> {
    let (id, params) = conn.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let general = params.capabilities.general.as_ref();
    let enc = Encoding::negotiate(general.and_then(|g| g.position_encodings.as_deref()));
    let options = params.initialization_options.as_ref();
    let debounce = options
        .and_then(|o| o.get("debounceMs")?.as_u64())
        .map_or(DEBOUNCE, Duration::from_millis);
    let mut roots: Vec<_> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| documents::uri_to_path(&f.uri))
        .collect();
    #[allow(deprecated)]
    roots.extend(params.root_uri.as_ref().and_then(documents::uri_to_path));
    let result = serde_json::json!({
        "capabilities": capabilities(enc),
        "serverInfo": {"name": "gouji", "version": env!("CARGO_PKG_VERSION")},
    });
    conn.initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files?.dynamic_registration)
        .unwrap_or(false);
    let mut server = server::Server::new(conn, enc, debounce, roots);
    if watch {
        server.watch_files()?;
    }
    server.run()
}

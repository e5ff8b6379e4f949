//! The server loop: requests answered in order; checks of changed documents debounced
//! (run once the client has been quiet for a moment, on the latest text only).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionOrCommand, CodeActionParams, CompletionParams, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverContents, HoverParams, MarkupContent, MarkupKind,
    PublishDiagnosticsParams, Uri,
};

use super::documents::{uri_to_path, Doc, Kind, LineIndex, Store};
use super::workspace::Workspace;
use super::{actions, completion, diagnostics, hover, Encoding};

pub struct Server<'c> {
    conn: &'c Connection,
    enc: Encoding,
    debounce: Duration,
    store: Store,
    ws: Workspace,
    /// Documents changed since they were last checked, and when the last change came.
    pending: BTreeSet<String>,
    last_change: Instant,
    next_id: i32,
}

type Result<T> = std::result::Result<T, String>;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

impl<'c> Server<'c> {
    pub fn new(
        conn: &'c Connection,
        enc: Encoding,
        debounce: Duration,
        roots: Vec<PathBuf>,
    ) -> Self {
        Server {
            conn,
            enc,
            debounce,
            store: Store::default(),
            ws: Workspace::new(roots),
            pending: BTreeSet::new(),
            last_change: Instant::now(),
            next_id: 0,
        }
    }

    /// Serve until the client asks to shut down (or the connection closes).
    pub fn run(&mut self) -> Result<()> {
        loop {
            let msg = if self.pending.is_empty() {
                match self.conn.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return Ok(()),
                }
            } else {
                let wait =
                    (self.last_change + self.debounce).saturating_duration_since(Instant::now());
                match self.conn.receiver.recv_timeout(wait) {
                    Ok(m) => m,
                    Err(RecvTimeoutError::Timeout) => {
                        self.check_pending()?;
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return Ok(()),
                }
            };
            match msg {
                Message::Request(r) => {
                    if self.conn.handle_shutdown(&r).map_err(err)? {
                        return Ok(());
                    }
                    self.request(r)?;
                }
                Message::Notification(n) => self.notification(n)?,
                Message::Response(_) => {}
            }
        }
    }

    /// Ask the client to tell us when rule files, configurations or reports change.
    pub fn watch_files(&mut self) -> Result<()> {
        use lsp_types::{
            DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, Registration,
            RegistrationParams,
        };
        let watchers = ["**/gouji.toml", "**/*.gouji", "**/*.yaml", "**/*.yml"]
            .into_iter()
            .map(|g| FileSystemWatcher {
                glob_pattern: GlobPattern::String(g.into()),
                kind: None,
            })
            .collect();
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "gouji-watch".into(),
                method: notif::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })
                .ok(),
            }],
        };
        self.next_id += 1;
        let r = Request::new(
            RequestId::from(self.next_id),
            req::RegisterCapability::METHOD.into(),
            params,
        );
        self.conn.sender.send(r.into()).map_err(err)
    }

    fn notification(&mut self, n: Notification) -> Result<()> {
        match n.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                let p: DidOpenTextDocumentParams = serde_json::from_value(n.params).map_err(err)?;
                let Some(path) = uri_to_path(&p.text_document.uri) else {
                    return Ok(());
                };
                let kind = Kind::of(&path).unwrap_or(match p.text_document.language_id.as_str() {
                    "gouji" => Kind::Rules,
                    "toml" => Kind::Config,
                    _ => Kind::Report,
                });
                self.store.docs.insert(
                    p.text_document.uri.as_str().to_string(),
                    Doc {
                        text: p.text_document.text,
                        version: p.text_document.version,
                        kind,
                        path,
                        findings: None,
                    },
                );
                // A document just opened is checked at once.
                self.check(&p.text_document.uri)?;
            }
            notif::DidChangeTextDocument::METHOD => {
                let p: DidChangeTextDocumentParams =
                    serde_json::from_value(n.params).map_err(err)?;
                if let Some(doc) = self.store.get_mut(&p.text_document.uri) {
                    doc.apply(p.content_changes, self.enc);
                    doc.version = p.text_document.version;
                    self.pending
                        .insert(p.text_document.uri.as_str().to_string());
                    self.last_change = Instant::now();
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                let p: DidCloseTextDocumentParams =
                    serde_json::from_value(n.params).map_err(err)?;
                self.store.docs.remove(p.text_document.uri.as_str());
                self.pending.remove(p.text_document.uri.as_str());
                self.publish(p.text_document.uri, vec![], None)?;
            }
            notif::DidChangeWatchedFiles::METHOD => {
                self.ws.reload();
                self.pending.extend(self.store.docs.keys().cloned());
                self.last_change = Instant::now();
            }
            _ => {}
        }
        Ok(())
    }

    fn check_pending(&mut self) -> Result<()> {
        for uri in std::mem::take(&mut self.pending) {
            if let Ok(uri) = uri.parse::<Uri>() {
                self.check(&uri)?;
            }
        }
        Ok(())
    }

    /// Check a document now, unless it is waiting for a debounced check (then flush that).
    fn fresh(&mut self, uri: &Uri) -> Result<()> {
        if self.pending.remove(uri.as_str()) {
            self.check(uri)?;
        }
        Ok(())
    }

    fn check(&mut self, uri: &Uri) -> Result<()> {
        let enc = self.enc;
        let Some(doc) = self.store.get(uri) else {
            return Ok(());
        };
        let (kind, version, path, text) =
            (doc.kind, doc.version, doc.path.clone(), doc.text.clone());
        let idx = LineIndex::new(&text, enc);
        let setup = self.ws.setup(&path);
        let diags = match kind {
            Kind::Report => {
                let (findings, problem) =
                    diagnostics::check_report(&mut self.ws, &setup, &path, &text);
                let mut diags: Vec<_> = problem
                    .iter()
                    .map(|p| diagnostics::setup_problem(p))
                    .collect();
                for f in &findings {
                    let rule = setup
                        .engine
                        .rules
                        .get(&f.rule)
                        .and_then(|r| self.ws.rule_location(r, enc));
                    diags.push(diagnostics::finding(f, &idx, uri, rule));
                }
                if let Some(doc) = self.store.get_mut(uri) {
                    doc.findings = Some((version, findings));
                }
                diags
            }
            Kind::Rules => diagnostics::rules_file(&setup.engine.registry, &path, &text, enc),
            Kind::Config => diagnostics::config_file(&path, &text, enc),
        };
        self.publish(uri.clone(), diags, Some(version))
    }

    fn publish(
        &self,
        uri: Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) -> Result<()> {
        let n = Notification::new(
            notif::PublishDiagnostics::METHOD.into(),
            PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        );
        self.conn.sender.send(n.into()).map_err(err)
    }

    fn respond(&self, id: RequestId, result: impl serde::Serialize) -> Result<()> {
        let value = serde_json::to_value(result).map_err(err)?;
        self.conn
            .sender
            .send(Response::new_ok(id, value).into())
            .map_err(err)
    }

    fn request(&mut self, r: Request) -> Result<()> {
        match r.method.as_str() {
            req::HoverRequest::METHOD => {
                let p: HoverParams = serde_json::from_value(r.params).map_err(err)?;
                let uri = p.text_document_position_params.text_document.uri;
                self.fresh(&uri)?;
                let result = self.hover(&uri, p.text_document_position_params.position);
                self.respond(r.id, result)
            }
            req::CodeActionRequest::METHOD => {
                let p: CodeActionParams = serde_json::from_value(r.params).map_err(err)?;
                self.fresh(&p.text_document.uri)?;
                let result = self.code_actions(&p);
                self.respond(r.id, result)
            }
            req::Completion::METHOD => {
                let p: CompletionParams = serde_json::from_value(r.params).map_err(err)?;
                let pos = p.text_document_position;
                let items = self
                    .store
                    .get(&pos.text_document.uri)
                    .filter(|d| d.kind == Kind::Rules)
                    .map(|doc| {
                        let idx = LineIndex::new(&doc.text, self.enc);
                        let setup = self.ws.setup(&doc.path);
                        completion::complete(
                            &setup.engine.registry,
                            &doc.text,
                            idx.offset(pos.position),
                            &idx,
                        )
                    });
                self.respond(r.id, items)
            }
            req::GotoDefinition::METHOD => {
                let p: GotoDefinitionParams = serde_json::from_value(r.params).map_err(err)?;
                let pos = p.text_document_position_params;
                let result = self.store.get(&pos.text_document.uri).and_then(|doc| {
                    let idx = LineIndex::new(&doc.text, self.enc);
                    let setup = self.ws.setup(&doc.path);
                    let rule =
                        hover::rule_id_at(&setup.engine, &doc.text, idx.offset(pos.position))?;
                    self.ws
                        .rule_location(rule, self.enc)
                        .map(GotoDefinitionResponse::Scalar)
                });
                self.respond(r.id, result)
            }
            _ => {
                let e = Response::new_err(
                    r.id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    crate::messages::lsp::LspMsg::UnsupportedRequest {
                        method: r.method.clone(),
                    }
                    .to_string(),
                );
                self.conn.sender.send(e.into()).map_err(err)
            }
        }
    }

    fn hover(&mut self, uri: &Uri, pos: lsp_types::Position) -> Option<Hover> {
        let doc = self.store.get(uri)?;
        let idx = LineIndex::new(&doc.text, self.enc);
        let offset = idx.offset(pos);
        let setup = self.ws.setup(&doc.path);
        let value = match hover::rule_id_at(&setup.engine, &doc.text, offset) {
            Some(rule) => hover::rule(rule),
            None if doc.kind == Kind::Report => {
                let source =
                    crate::source::Source::new(doc.path.display().to_string(), doc.text.as_str());
                let findings = doc
                    .findings
                    .as_ref()
                    .filter(|(v, _)| *v == doc.version)
                    .map_or(&[][..], |(_, f)| f);
                hover::cell(&setup.engine, &source, findings, offset)?
            }
            None => return None,
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: None,
        })
    }

    fn code_actions(&self, p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let Some(doc) = self.store.get(&p.text_document.uri) else {
            return vec![];
        };
        // Findings of an older text would point at the wrong places.
        let Some((_, findings)) = doc.findings.as_ref().filter(|(v, _)| *v == doc.version) else {
            return vec![];
        };
        let idx = LineIndex::new(&doc.text, self.enc);
        let at = idx.span(p.range);
        actions::actions(&p.text_document.uri, &doc.text, findings, &at, &idx)
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect()
    }
}

//! How long after a change an editor sees the new diagnostics: `gouji lsp` (the binary of
//! this build) over stdio, the seed report open, then 200 edits that flip its 183 ↔ 182,
//! each timed from sending `didChange` to receiving the `publishDiagnostics` of that
//! version. The figure includes the server's debounce (10 ms by default) and the pipes.
//!
//!   cargo bench --bench lsp                # default debounce
//!   DEBOUNCE_MS=0 cargo bench --bench lsp  # the check alone
//!
//! Figures: docs/performance.md.

#[allow(dead_code)]
#[path = "../tests/common/lsp_client.rs"]
mod lsp_client;

use std::path::Path;
use std::time::{Duration, Instant};

use lsp_client::Client;
use serde_json::json;

const EDITS: usize = 200;

fn main() {
    let options = match std::env::var("DEBOUNCE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        Some(ms) => json!({"debounceMs": ms}),
        None => json!(null),
    };
    let path = Path::new("examples/chaoyang-2020.yaml");
    let text = std::fs::read_to_string(path).expect("run from the repository root");
    let (mut c, _) = Client::start_with(&["utf-16"], None, options);
    let uri = c.open(path, &text);
    let first = c.diagnostics(&uri, Some(1));
    assert!(!first.is_empty());
    let (line, ch) = text
        .lines()
        .enumerate()
        .find_map(|(n, l)| {
            l.contains("不掌握:")
                .then(|| (n, l[..l.find("183").unwrap()].encode_utf16().count()))
        })
        .unwrap();
    let range = json!({"start": {"line": line, "character": ch},
                       "end": {"line": line, "character": ch + 3}});
    let mut times: Vec<Duration> = Vec::with_capacity(EDITS);
    for i in 0..EDITS {
        let version = i as i64 + 2;
        let value = if i % 2 == 0 { "182" } else { "183" };
        let start = Instant::now();
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": range, "text": value}]}),
        );
        let diags = c.diagnostics(&uri, Some(version));
        times.push(start.elapsed());
        let errors = diags.iter().filter(|d| d["severity"] == 1).count();
        assert_eq!(errors, if value == "182" { 0 } else { 2 });
    }
    c.shut_down();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| ms(times[((times.len() - 1) as f64 * q).round() as usize]);
    println!(
        "lsp change → diagnostics, seed report, {EDITS} edits: median {:.2} ms, p95 {:.2} ms, max {:.2} ms, min {:.2} ms",
        at(0.5),
        at(0.95),
        ms(times[times.len() - 1]),
        ms(times[0]),
    );
}

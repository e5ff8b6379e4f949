//! `gouji lsp` as an editor drives it: the real binary, JSON-RPC over its standard input
//! and output. Every read has a timeout, so a server that hangs fails the test instead
//! of hanging CI.

use std::path::PathBuf;
use std::time::Instant;

use serde_json::{json, Value};

#[path = "common/lsp_client.rs"]
mod lsp_client;
use lsp_client::{uri, Client, TIMEOUT};

/// Line (0-based) and UTF-16 column of the `nth` occurrence of `needle` on the line
/// that contains `line_has`, computed here from the text.
fn utf16_at(text: &str, line_has: &str, needle: &str) -> (usize, usize) {
    let (n, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(line_has))
        .unwrap();
    let byte = line.find(needle).unwrap();
    (n, line[..byte].encode_utf16().count())
}

fn start_of(d: &Value) -> (usize, usize) {
    let s = &d["range"]["start"];
    (
        s["line"].as_u64().unwrap() as usize,
        s["character"].as_u64().unwrap() as usize,
    )
}

fn errors(diags: &[Value]) -> Vec<&Value> {
    diags.iter().filter(|d| d["severity"] == 1).collect()
}

fn seed() -> (PathBuf, String) {
    let path = PathBuf::from("examples/chaoyang-2020.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

#[test]
fn seed_report_errors_fix_hover_and_rule_files() {
    let (mut c, init) = Client::start(&["utf-16"], None);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    let (path, text) = seed();
    let u = c.open(&path, &text);

    // Exactly the two errors, each at the 183 / 252 it is about.
    let diags = c.diagnostics(&u, Some(1));
    let errs = errors(&diags);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    let row = errs
        .iter()
        .find(|d| d["code"] == "table3/row-total")
        .unwrap();
    let col = errs
        .iter()
        .find(|d| d["code"] == "table3/result-total")
        .unwrap();
    let at183 = utf16_at(&text, "不掌握:", "183");
    let at252 = utf16_at(&text, "总计:              {自然人: 236", "252");
    assert_eq!(start_of(row), at183);
    assert_eq!(row["range"]["end"]["character"], json!(at183.1 + 3));
    assert_eq!(start_of(col), at252);
    assert!(row["message"].as_str().unwrap().contains("171 + 11 = 182"));
    // The cells it read come along, the 183 among them.
    let related = row["relatedInformation"].as_array().unwrap();
    assert!(related
        .iter()
        .any(|r| r["message"].as_str().unwrap().ends_with("总计 = 183")));

    // Hover on the 183: official labels, value, and the rules reading it with their result.
    let pos = json!({"line": at183.0, "character": at183.1 + 1});
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos}),
    );
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("（四）无法提供 / 1.本机关不掌握相关政府信息 / 总计"),
        "{md}"
    );
    assert!(md.contains("申请.办理结果.无法提供.不掌握.总计"), "{md}");
    assert!(md.contains("183"));
    let line_of = |id: &str| md.lines().find(|l| l.contains(id)).unwrap_or_default();
    assert!(line_of("`table3/row-total`").contains("— 不成立："), "{md}");
    assert!(line_of("`blank/table3-total`").ends_with("— 成立"), "{md}");

    // Code actions on the 183 diagnostic: the repair to 182 first, then the ignore comment.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": row["range"],
               "context": {"diagnostics": [row]}}),
    );
    let actions = actions.as_array().unwrap();
    let fix = &actions[0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    let edits = fix["edit"]["changes"][&u].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["newText"], "182");
    assert_eq!(edits[0]["range"], row["range"]);
    let ignore = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .contains("忽略 table3/row-total")
        })
        .unwrap();
    let edit = &ignore["edit"]["changes"][&u][0];
    assert_eq!(edit["newText"], "  # gouji: ignore[table3/row-total] 理由");
    assert_eq!(edit["range"]["start"]["line"], json!(at183.0));

    // Apply the fix as the editor would: no errors remain.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2},
               "contentChanges": [{"range": row["range"], "text": "182"}]}),
    );
    let diags = c.diagnostics(&u, Some(2));
    assert!(errors(&diags).is_empty(), "{diags:#?}");
    assert!(!diags.is_empty(), "the warnings stay");

    // A rule file with a misspelt path: the did-you-mean, at the misspelling.
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("mine.gouji");
    let rule_text = "rule mine/x {\n  title \"测试\"\n  formats 2019\n  why \"测试\"\n  check 申请.办理结果.总记.总计 >= 0\n}\n";
    std::fs::write(&rules, rule_text).unwrap();
    let ru = c.open(&rules, rule_text);
    let diags = c.diagnostics(&ru, Some(1));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("是不是 `总计`"));
    assert_eq!(start_of(&diags[0]), utf16_at(rule_text, "check", "总记"));

    c.shut_down();
}

/// A report whose prose line holds 𠮷 (U+20BB7, two UTF-16 units, four UTF-8 bytes)
/// before the sentence a finding points at.
fn astral_report() -> (tempfile::TempDir, PathBuf, String) {
    let (_, text) = seed();
    let text = text.replacen("3.规范政府信息", "3.𠮷规范政府信息", 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("朝阳区 2020.yaml");
    std::fs::write(&path, &text).unwrap();
    (dir, path, text)
}

#[test]
fn positions_after_a_character_outside_the_bmp() {
    let (_dir, path, text) = astral_report();
    let sentence = "受理向区政务服务管理局提出的";
    let (line, utf16) = utf16_at(&text, "3.𠮷", sentence);

    // Where the prose finding starts, for a client offering these encodings.
    let prose_start = |encodings: &[&str], negotiated: &str| {
        let (mut c, init) = Client::start(encodings, None);
        assert_eq!(init["capabilities"]["positionEncoding"], negotiated);
        let u = c.open(&path, &text);
        let diags = c.diagnostics(&u, Some(1));
        let prose = diags
            .iter()
            .find(|d| d["code"] == "prose/no-litigation")
            .map(start_of);
        c.shut_down();
        prose.unwrap()
    };
    assert_eq!(
        prose_start(&[], "utf-16"),
        (line, utf16),
        "UTF-16 by default"
    );
    // A client that offers UTF-8 gets byte columns.
    let l = text.lines().nth(line).unwrap();
    assert_eq!(
        prose_start(&["utf-8", "utf-16"], "utf-8"),
        (line, l.find(sentence).unwrap())
    );
}

#[test]
fn config_reload_definition_and_completion() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("gouji.toml"), "ignore = [\"table3/row-total\"]\n").unwrap();
    let (_, text) = seed();
    let text = text.replacen(
        "格式: 2019\n",
        "格式: 2019  # gouji: ignore[table3/result-total] 已核\n",
        1,
    );
    let report = root.join("report.yaml");
    std::fs::write(&report, &text).unwrap();

    let (mut c, _) = Client::start(&["utf-16"], Some(root));
    let u = c.open(&report, &text);
    let diags = c.diagnostics(&u, Some(1));
    assert!(
        !diags.iter().any(|d| d["code"] == "table3/row-total"),
        "gouji.toml is read"
    );

    // The configuration changes on disk; the editor says so; the report is checked again.
    std::fs::write(root.join("gouji.toml"), "ignore = []\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&root.join("gouji.toml")), "type": 2}]}),
    );
    let diags = c.diagnostics(&u, Some(1));
    assert!(diags.iter().any(|d| d["code"] == "table3/row-total"));
    // The row-total diagnostic links to its rule.
    let row = diags
        .iter()
        .find(|d| d["code"] == "table3/row-total")
        .unwrap();
    assert!(row["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/rules/table3.gouji"));

    // Go to definition from the rule id in the ignore comment.
    let (l, ch) = utf16_at(&text, "gouji: ignore", "table3/result-total");
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": u}, "position": {"line": l, "character": ch + 3}}),
    );
    let target = def["uri"].as_str().unwrap();
    assert!(target.ends_with("/rules/table3.gouji"), "{def}");
    let rule_file = std::fs::read_to_string(target.strip_prefix("file://").unwrap()).unwrap();
    let line = rule_file
        .lines()
        .nth(def["range"]["start"]["line"].as_u64().unwrap() as usize)
        .unwrap();
    assert_eq!(line, "rule table3/result-total {");
    // Hover on it: title, why and examples.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": l, "character": ch + 3}}),
    );
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("（七）总计 = （一）至（六）各项办理结果之和"),
        "{md}"
    );
    assert!(md.contains("fail {"), "{md}");

    // Completion in a rule file: a path's next keys, quoted where needed.
    let rules = root.join("mine.gouji");
    let rule_text = "rule mine/x {\n  check 申请.办理结果.无法提供.";
    std::fs::write(&rules, rule_text).unwrap();
    let ru = c.open(&rules, rule_text);
    let _ = c.diagnostics(&ru, Some(1));
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": ru},
               "position": {"line": 1, "character": rule_text.lines().nth(1).unwrap().encode_utf16().count()}}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"不掌握"), "{labels:?}");
    assert!(labels.contains(&"需另行制作"), "{labels:?}");

    // gouji.toml itself: a wrong severity is pointed at.
    let config = root.join("gouji.toml");
    let config_text = "[severity]\n\"table3\" = \"fatal\"\n";
    let cu = c.open(&config, config_text);
    let diags = c.diagnostics(&cu, Some(1));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(start_of(&diags[0]), utf16_at(config_text, "fatal", "fatal"));
    c.shut_down();
}

#[test]
fn rapid_changes_are_checked_once_at_the_latest_version() {
    let (path, text) = seed();
    // A long quiet period, so both changes surely arrive within it.
    let (mut c, _) = Client::start_with(&[], None, json!({"debounceMs": 1500}));
    let u = c.open(&path, &text);
    assert_eq!(errors(&c.diagnostics(&u, Some(1))).len(), 2);
    let (line, ch) = utf16_at(&text, "不掌握:", "183");
    let range = json!({"start": {"line": line, "character": ch},
                       "end": {"line": line, "character": ch + 3}});
    for (version, value) in [(2, "184"), (3, "182")] {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": version},
                   "contentChanges": [{"range": range, "text": value}]}),
        );
    }
    // The next publication for the report is version 3's, with no errors; 2 never shows.
    let deadline = Instant::now() + TIMEOUT;
    let published = loop {
        let m = c.next(deadline);
        if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u {
            break m;
        }
    };
    assert_eq!(published["params"]["version"], 3);
    let diags = published["params"]["diagnostics"].as_array().unwrap();
    assert!(errors(diags).is_empty(), "{diags:#?}");
    c.shut_down();
}

/// A carry-over finding relates last year's cell in last year's report: its URI, and the
/// cell's line and column there.
#[test]
fn last_years_cell_is_related_in_its_own_file() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["ziran-2022.yaml", "ziran-2023.yaml"] {
        std::fs::copy(
            format!("tests/fixtures/two-years/{name}"),
            dir.path().join(name),
        )
        .unwrap();
    }
    let this = dir.path().join("ziran-2023.yaml");
    let last = dir.path().join("ziran-2022.yaml");
    let last_text = std::fs::read_to_string(&last).unwrap();
    let (mut c, _) = Client::start(&["utf-16"], Some(dir.path()));
    let u = c.open(&this, &std::fs::read_to_string(&this).unwrap());
    let diags = c.diagnostics(&u, Some(1));
    let carry: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "cross-year/carry-over")
        .collect();
    assert_eq!(carry.len(), 2, "{diags:#?}");
    let related = carry[0]["relatedInformation"].as_array().unwrap();
    let theirs: Vec<&Value> = related
        .iter()
        .filter(|r| r["location"]["uri"] == uri(&last))
        .collect();
    assert_eq!(theirs.len(), 1, "{related:#?}");
    let (line, col) = utf16_at(&last_text, "  结转:", "9,");
    assert_eq!(
        theirs[0]["location"]["range"]["start"],
        json!({"line": line, "character": col})
    );
    assert!(theirs[0]["message"]
        .as_str()
        .unwrap()
        .ends_with("自然人 = 9"));
    c.shut_down();
}

/// A request the server does not handle is refused in the catalogue's words (Chinese by
/// default).
#[test]
fn an_unsupported_request_is_refused_in_words_from_the_catalogue() {
    let (mut c, _) = Client::start(&[], None);
    let method = "workspace/executeCommand";
    c.send(json!({"jsonrpc": "2.0", "id": 9001, "method": method,
                  "params": {"command": "x", "arguments": []}}));
    let deadline = Instant::now() + TIMEOUT;
    let reply = loop {
        let msg = c.next(deadline);
        if msg["id"] == json!(9001) && msg.get("method").is_none() {
            break msg;
        }
    };
    assert_eq!(
        reply["error"]["message"],
        format!("gouji 的语言服务器不支持请求 {method}")
    );
    c.shut_down();
}

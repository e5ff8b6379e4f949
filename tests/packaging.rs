//! What ships around the binary: the GitHub Action, the pre-commit hooks, the container
//! recipe and the release profile. Each file is read (with gouji's own YAML reader, granit
//! underneath) and held to what its consumer requires.

use assert_cmd::Command;
use gouji::yaml::{self, NodeId, NodeKind, Tree};

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn scalar<'t>(tree: &'t Tree, node: NodeId, key: &str) -> Option<&'t str> {
    let e = tree.get(node, key)?;
    match &tree.node(e.value).kind {
        NodeKind::Scalar { text, .. } => Some(text),
        _ => None,
    }
}

fn child(tree: &Tree, node: NodeId, key: &str) -> NodeId {
    tree.get(node, key)
        .unwrap_or_else(|| panic!("no `{key}`"))
        .value
}

fn items(tree: &Tree, node: NodeId) -> Vec<NodeId> {
    match &tree.node(node).kind {
        NodeKind::Seq(items) => items.clone(),
        other => panic!("not a sequence: {other:?}"),
    }
}

/// The long options `gouji SUBCOMMAND --help` lists.
fn flags(subcommand: &str) -> String {
    let out = Command::cargo_bin("gouji")
        .unwrap()
        .args([subcommand, "--help"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// Every `--flag` written after `gouji SUBCOMMAND` in `text` is one the CLI has.
fn flags_exist(text: &str, subcommand: &str) {
    let help = flags(subcommand);
    let call = format!("gouji {subcommand}");
    for line in text.lines().filter(|l| l.contains(&call)) {
        let rest = &line[line.find(&call).unwrap() + call.len()..];
        for word in rest.split_whitespace() {
            if word == "--" {
                break;
            }
            if let Some(flag) = word.strip_prefix("--") {
                assert!(
                    help.contains(&format!("--{flag}")),
                    "`--{flag}` is not an option of gouji {subcommand}"
                );
            }
        }
    }
}

#[test]
fn the_action_is_a_composite_action_that_uploads_sarif() {
    let text = read("action.yml");
    let tree = yaml::parse(&text, yaml::Limits::default()).expect("action.yml is YAML");
    let root = tree.root;
    for key in ["name", "description"] {
        assert!(
            scalar(&tree, root, key).is_some_and(|s| !s.is_empty()),
            "{key}"
        );
    }
    let inputs = child(&tree, root, "inputs");
    for e in tree.entries(inputs).unwrap() {
        assert!(
            scalar(&tree, e.value, "description").is_some(),
            "input `{}` needs a description",
            e.key
        );
    }
    let runs = child(&tree, root, "runs");
    assert_eq!(scalar(&tree, runs, "using"), Some("composite"));
    let steps = items(&tree, child(&tree, runs, "steps"));
    let mut uploads = false;
    for step in steps {
        // A composite step that runs a script must name its shell.
        if tree.get(step, "run").is_some() {
            assert!(
                scalar(&tree, step, "shell").is_some(),
                "a run step without shell"
            );
        }
        if let Some(uses) = scalar(&tree, step, "uses") {
            uploads |= uses.starts_with("github/codeql-action/upload-sarif@");
        }
    }
    assert!(uploads, "the SARIF is uploaded");
    assert!(text.contains("--format sarif"));
    flags_exist(&text, "lint");
}

#[test]
fn the_pre_commit_hooks_have_what_pre_commit_requires() {
    let text = read(".pre-commit-hooks.yaml");
    let tree = yaml::parse(&text, yaml::Limits::default()).expect("hooks are YAML");
    let hooks = items(&tree, tree.root);
    assert!(hooks.len() >= 2);
    for hook in hooks {
        for key in ["id", "name", "entry", "language"] {
            assert!(scalar(&tree, hook, key).is_some(), "a hook without `{key}`");
        }
        assert_eq!(scalar(&tree, hook, "language"), Some("rust"));
        let entry = scalar(&tree, hook, "entry").unwrap();
        let sub = entry.split_whitespace().nth(1).unwrap();
        flags_exist(entry, sub);
    }
}

#[test]
fn the_release_binary_is_stripped_and_the_container_ships_it() {
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let profiles = manifest["profile"].as_table().unwrap();
    assert_eq!(profiles["release"]["strip"].as_bool(), Some(true));
    assert!(profiles["release"].get("debug").is_none());
    assert_eq!(profiles["profiling"]["inherits"].as_str(), Some("release"));
    assert!(read("benches/run.sh").contains("--profile profiling"));
    let include: Vec<&str> = manifest["package"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for file in ["/LICENSE-MIT", "/LICENSE-APACHE", "/README.md"] {
        assert!(include.contains(&file), "{file} is packaged");
        assert!(std::path::Path::new(&file[1..]).is_file(), "{file} exists");
    }

    // Multi-stage: the last stage copies the release binary out of a named earlier stage.
    let dockerfile = read("Dockerfile");
    let stages: Vec<&str> = dockerfile
        .lines()
        .filter(|l| l.starts_with("FROM "))
        .collect();
    assert_eq!(stages.len(), 2, "{stages:?}");
    let build = stages[0].rsplit(' ').next().unwrap();
    assert!(dockerfile.contains("cargo build --release --locked"));
    assert!(dockerfile.contains(&format!("COPY --from={build} /usr/local/bin/gouji")));
    assert!(dockerfile.contains("cp target/release/gouji /usr/local/bin/gouji"));
}

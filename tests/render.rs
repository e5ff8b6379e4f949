//! The renderer seam: what a format sees of each report, in what order.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use gouji::engine::Engine;
use gouji::lint::{self, Inputs, Options};
use gouji::render::{Format, Renderer, Report, Run, Settings, Summary};

/// Records what it is shown, as a line per report, and the calls' order.
#[derive(Default)]
struct Recorder {
    calls: Mutex<Vec<String>>,
}

impl Renderer for Recorder {
    fn header(&mut self, run: &Run, _out: &mut dyn Write) -> std::io::Result<()> {
        let listed = run.rules.iter().any(|r| r.id == "structure/missing");
        self.calls
            .lock()
            .unwrap()
            .push(format!("header rules-listed={listed}"));
        Ok(())
    }

    fn report(&self, r: &Report<'_>, out: &mut Vec<u8>) {
        // What an HTML table needs: the document's cells with their schema labels.
        let cell = r.document.and_then(|d| {
            let slot = (0..d.schema.slots.len())
                .find(|&s| d.schema.path(d.schema.slots[s]) == "申请.新收.总计")?;
            let c = d.cell_ref(slot);
            Some(format!("{}={}", c.label, c.value))
        });
        writeln!(
            out,
            "{} agency={:?} year={:?} format={:?} fully={} findings={} cell={:?}",
            Path::new(r.name).file_name().unwrap().to_string_lossy(),
            r.meta.agency,
            r.meta.year,
            r.meta.format,
            r.meta.fully_checked,
            r.findings.len(),
            cell,
        )
        .unwrap();
    }

    fn write(&self, rendered: &[u8], out: &mut dyn Write) -> std::io::Result<()> {
        self.calls.lock().unwrap().push("write".into());
        out.write_all(rendered)
    }

    fn footer(&mut self, _run: &Run, s: &Summary, _out: &mut dyn Write) -> std::io::Result<()> {
        self.calls
            .lock()
            .unwrap()
            .push(format!("footer files={}", s.files));
        Ok(())
    }
}

#[test]
fn a_renderer_sees_each_report_with_its_document_and_metadata_in_order() {
    let engine = Engine::builtin().unwrap();
    let dir = PathBuf::from("tests/fixtures/lint");
    let inputs = Inputs::new(&[dir]).unwrap();
    let opts = Options {
        format: Format::by_name("human").unwrap(),
        settings: Settings::default(),
        baseline: None,
        write_baseline: None,
        progress: false,
        stdin_filename: None,
    };
    let mut recorder = Recorder::default();
    let mut out = Vec::new();
    lint::run_with(&engine, &inputs, &opts, &mut recorder, &mut out).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap(), @r#"
    bad.yaml agency=Some("北京市朝阳区政务服务管理局") year=Some("2020") format=Some("2019") fully=true findings=7 cell=Some("一、本年新收政府信息公开申请数量 / 总计=271")
    broken.yaml agency=None year=None format=None fully=false findings=1 cell=None
    empty.yaml agency=None year=None format=None fully=false findings=1 cell=None
    good.yaml agency=Some("示例市自然资源和规划局") year=Some("2023") format=Some("2021") fully=true findings=0 cell=Some("一、本年新收政府信息公开申请数量 / 总计=268")
    "#);
    assert_eq!(
        recorder.calls.into_inner().unwrap(),
        [
            "header rules-listed=true",
            "write",
            "write",
            "write",
            "write",
            "footer files=4"
        ]
    );
}

#[test]
fn every_format_is_registered_once_by_name() {
    let names: Vec<&str> = gouji::render::FORMATS.iter().map(|f| f.name).collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(names.len(), unique.len(), "{names:?}");
    for n in names {
        assert_eq!(Format::by_name(n).unwrap().name(), n);
    }
    assert!(Format::by_name("nope").is_none());
}

/// Panics on one report, like a bug would.
struct Fragile;

impl Renderer for Fragile {
    fn report(&self, r: &Report<'_>, out: &mut Vec<u8>) {
        if r.name.ends_with("bad.yaml") {
            panic!("a bug in a renderer");
        }
        writeln!(out, "{} {}", r.name, r.findings.len()).unwrap();
    }
}

#[test]
fn a_panic_on_one_file_costs_that_file_only() {
    let engine = Engine::builtin().unwrap();
    let inputs = Inputs::new(&[PathBuf::from("tests/fixtures/lint")]).unwrap();
    let opts = Options {
        format: Format::by_name("human").unwrap(),
        settings: Settings::default(),
        baseline: None,
        write_baseline: None,
        progress: false,
        stdin_filename: None,
    };
    let mut out = Vec::new();
    let summary = lint::run_with(&engine, &inputs, &opts, &mut Fragile, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    // The other three files are written, in order.
    assert_eq!(
        out,
        "tests/fixtures/lint/broken.yaml 1\ntests/fixtures/lint/empty.yaml 1\ntests/fixtures/lint/good.yaml 0\n"
    );
    assert_eq!(summary.files, 4);
    // bad.yaml counts one error (the crash), and as not fully checked.
    assert_eq!(summary.errors, 3, "{summary:?}");
    assert_eq!(summary.stats.by_rule["internal/crash"].errors, 1);
}

#[test]
fn a_path_given_twice_is_checked_once_and_extensions_ignore_case() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read("tests/fixtures/lint/good.yaml").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("UPPER.YAML"), &good).unwrap();
    std::fs::write(dir.path().join("b.Yml"), &good).unwrap();
    std::fs::write(dir.path().join("sub/c.yaml"), &good).unwrap();
    let file = dir.path().join("b.Yml");
    // The folder twice, a file inside it twice, and a sub-folder of it: each report once,
    // a named file under the name it was given.
    let inputs = Inputs::new(&[
        dir.path().to_path_buf(),
        dir.path().to_path_buf(),
        file.clone(),
        file.clone(),
        dir.path().join("sub"),
    ])
    .unwrap();
    let names: Vec<String> = inputs.iter().map(|i| i.name()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        names[0].ends_with("UPPER.YAML")
            && names[1].ends_with("c.yaml")
            && names[2] == file.display().to_string(),
        "{names:?}"
    );
}

/// Two reports whose names are not UTF-8 and differ only in the invalid byte: each is read
/// under its own exact name (a lossy name would read one twice and the other never).
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_opened_exactly() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read("tests/fixtures/lint/good.yaml").unwrap();
    let bad = std::fs::read("tests/fixtures/lint/bad.yaml").unwrap();
    let a = dir.path().join(std::ffi::OsStr::from_bytes(b"r\xff.yaml"));
    let b = dir.path().join(std::ffi::OsStr::from_bytes(b"r\xfe.yaml"));
    std::fs::write(&a, &good).unwrap();
    std::fs::write(&b, &bad).unwrap();
    let inputs = Inputs::new(&[dir.path().to_path_buf()]).unwrap();
    let paths: Vec<PathBuf> = inputs
        .iter()
        .map(|i| i.path().unwrap().to_path_buf())
        .collect();
    assert_eq!(paths.len(), 2);
    assert!(paths.contains(&a) && paths.contains(&b), "{paths:?}");
    let engine = Engine::builtin().unwrap();
    let opts = Options {
        format: Format::by_name("json").unwrap(),
        settings: Settings::default(),
        baseline: None,
        write_baseline: None,
        progress: false,
        stdin_filename: None,
    };
    let summary = lint::run(&engine, &inputs, &opts, &mut Vec::new()).unwrap();
    // Both read: the bad one's two errors, nothing unreadable.
    assert_eq!(
        (summary.files, summary.unreadable, summary.errors),
        (2, 0, 2)
    );
}

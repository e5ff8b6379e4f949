//! PDF through its text layer, with poppler's `pdftotext -layout`: it keeps
//! a table row on one line, which is what the free-text scanner expects.
//! No maintained pure-Rust crate extracts CJK text from these PDFs as well
//! (see docs/import.md).

use std::io::Write;
use std::process::{Command, Stdio};

/// Extract the text layer; errors are messages for the user.
pub fn text(bytes: &[u8]) -> Result<String, String> {
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-q", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run pdftotext (install poppler-utils): {e}"))?;
    let mut stdin = child.stdin.take().ok_or("pdftotext: no stdin")?;
    let input = bytes.to_vec();
    // Feed stdin from another thread so a full stdout pipe cannot deadlock us.
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child
        .wait_with_output()
        .map_err(|e| format!("pdftotext failed: {e}"))?;
    let _ = feeder.join();
    if !out.status.success() {
        return Err(format!("pdftotext could not read the PDF ({})", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if text.trim().is_empty() {
        return Err("the PDF has no text layer (scanned?); OCR it first".into());
    }
    Ok(text)
}

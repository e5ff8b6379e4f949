//! For the import tests: every scalar of a YAML document by dotted path (a blank as
//! `""`), to compare imported documents cell by cell, and a minimal DOCX to import.

use std::collections::BTreeMap;

use gouji::yaml::{NodeKind, Tree};

pub fn flatten(tree: &Tree, id: usize, prefix: &str, out: &mut BTreeMap<String, String>) {
    match &tree.node(id).kind {
        NodeKind::Map(entries) => {
            for e in entries {
                let p = if prefix.is_empty() {
                    e.key.to_string()
                } else {
                    format!("{prefix}.{}", e.key)
                };
                flatten(tree, e.value, &p, out);
            }
        }
        NodeKind::Scalar { text, plain } => {
            let v = if *plain && (text == "~" || text.is_empty()) {
                String::new()
            } else {
                text.to_string()
            };
            out.insert(prefix.to_string(), v);
        }
        NodeKind::Seq(_) => {
            out.insert(prefix.to_string(), "<seq>".into());
        }
    }
}

/// A DOCX holding `body` (WordprocessingML paragraphs and tables).
pub fn docx_bytes(body: &str) -> Vec<u8> {
    use std::io::Write;
    let xml = format!("<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>");
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    buf.into_inner()
}

//! Every scalar of a YAML document by dotted path (a blank as `""`), for tests that
//! compare imported documents cell by cell.

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

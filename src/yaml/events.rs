//! The reference builder: granit-parser's event stream → [`Tree`]. It reads all of YAML
//! (anchors, aliases, sequences, quoting, every scalar style); `fast` only takes the
//! canonical subset reports are written in, and must agree with this builder there.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use granit_parser::{Event, Parser, ScalarStyle};

use super::{Entry, Limits, Node, NodeId, NodeKind, Tree, YamlError};
use crate::source::Span;

/// Frames of collections being built.
enum Frame<'a> {
    Map {
        start: usize,
        anchor: usize,
        entries: Vec<Entry<'a>>,
        pending: Option<(Cow<'a, str>, Span)>,
        keys: Option<HashSet<String>>,
    },
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<NodeId>,
    },
}

/// Parse one YAML document with granit-parser.
pub fn parse(text: &str, limits: Limits) -> Result<Tree<'_>, YamlError> {
    let mut options = granit_parser::Options::default();
    options.block_nesting_limit = limits.max_depth + 1;
    options.flow_nesting_limit = limits.max_depth + 1;
    let parser = Parser::new_from_str_with_options(text, options);

    let mut nodes: Vec<Node> = Vec::new();
    let mut comments = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (NodeId, usize)> = HashMap::new();
    // Nodes counted with everything aliases repeat, so alias bombs are refused early.
    let mut weight: Vec<usize> = Vec::new();
    let mut total_weight = 0usize;
    let mut root = None;
    let mut documents = 0;

    for next in parser {
        let (event, span) = next.map_err(|e| {
            let at = e.marker().byte_offset().unwrap_or(0);
            // The scanner looks ahead in flow collections, so its nesting limit can answer
            // before ours: say it in our words.
            if matches!(e.kind(), granit_parser::ErrorKind::RecursionLimitExceeded) {
                return YamlError::TooDeep {
                    limit: limits.max_depth,
                    at: at..at,
                };
            }
            YamlError::Syntax {
                message: e.info().to_string(),
                at: at..at,
            }
        })?;
        let range = span.byte_range().unwrap_or(0..0);
        let completed: Option<(NodeId, usize)> = match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError::SeveralDocuments { at: range });
                }
                None
            }
            Event::Comment(text, _) => {
                comments.push((text, range));
                None
            }
            Event::Scalar(text, style, anchor, _) => {
                let plain = matches!(style, ScalarStyle::Plain);
                nodes.push(Node {
                    span: range,
                    kind: NodeKind::Scalar { text, plain },
                });
                weight.push(1);
                Some((nodes.len() - 1, anchor))
            }
            Event::Alias(anchor) => match anchors.get(&anchor) {
                Some(&(id, _)) => Some((id, 0)),
                None => return Err(YamlError::UnknownAlias { at: range }),
            },
            Event::UnresolvedAlias(_) => return Err(YamlError::UnknownAlias { at: range }),
            Event::MappingStart(_, anchor, _) | Event::SequenceStart(_, anchor, _) => {
                if stack.len() >= limits.max_depth {
                    return Err(YamlError::TooDeep {
                        limit: limits.max_depth,
                        at: range,
                    });
                }
                let start = range.start;
                stack.push(match event {
                    Event::MappingStart(..) => Frame::Map {
                        start,
                        anchor,
                        entries: Vec::new(),
                        pending: None,
                        keys: None,
                    },
                    _ => Frame::Seq {
                        start,
                        anchor,
                        items: Vec::new(),
                    },
                });
                None
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let (start, anchor, kind, w) = match stack.pop() {
                    Some(Frame::Map {
                        start,
                        anchor,
                        entries,
                        ..
                    }) => {
                        let w = 1 + entries.iter().map(|e| weight[e.value]).sum::<usize>();
                        (start, anchor, NodeKind::Map(entries), w)
                    }
                    Some(Frame::Seq {
                        start,
                        anchor,
                        items,
                    }) => {
                        let w = 1 + items.iter().map(|&i| weight[i]).sum::<usize>();
                        (start, anchor, NodeKind::Seq(items), w)
                    }
                    None => continue,
                };
                nodes.push(Node {
                    span: start..range.end.max(start),
                    kind,
                });
                weight.push(w);
                Some((nodes.len() - 1, anchor))
            }
            _ => None,
        };
        let Some((id, anchor)) = completed else {
            continue;
        };
        total_weight = total_weight.saturating_add(weight[id]);
        if total_weight > limits.max_nodes {
            return Err(YamlError::TooManyNodes {
                limit: limits.max_nodes,
                at: nodes[id].span.clone(),
            });
        }
        if anchor != 0 {
            anchors.insert(anchor, (id, weight[id]));
        }
        match stack.last_mut() {
            None => root = Some(id),
            Some(Frame::Seq { items, .. }) => items.push(id),
            Some(Frame::Map {
                entries,
                pending,
                keys,
                ..
            }) => match pending.take() {
                Some((key, key_span)) => entries.push(Entry {
                    key,
                    key_span,
                    value: id,
                }),
                None => {
                    let key_span = nodes[id].span.clone();
                    let NodeKind::Scalar { text, .. } = &nodes[id].kind else {
                        return Err(YamlError::ComplexKey { at: key_span });
                    };
                    let key = text.clone();
                    // Maps in reports are small; a set only pays off for big ones.
                    let seen = if entries.len() >= 32 {
                        let set = keys.get_or_insert_with(|| {
                            entries.iter().map(|e| e.key.to_string()).collect()
                        });
                        !set.insert(key.to_string())
                    } else {
                        entries.iter().any(|e| e.key == key)
                    };
                    if seen {
                        let first = entries
                            .iter()
                            .find(|e| e.key == key)
                            .map(|e| e.key_span.clone())
                            .unwrap_or(0..0);
                        return Err(YamlError::DuplicateKey {
                            key: key.into_owned(),
                            first,
                            second: key_span,
                        });
                    }
                    *pending = Some((key, key_span));
                }
            },
        }
    }
    match root {
        Some(root) => Ok(Tree {
            nodes,
            root,
            comments,
        }),
        None => Err(YamlError::Empty),
    }
}

/// The root mapping's scalar entries under `wanted` keys, reading only as far as needed:
/// the parse stops as soon as every wanted key has been seen, so a lookup of a few
/// leading fields (a report's identity) costs a few events, not the whole document.
///
/// Returns a tree holding just those entries (a root mapping of scalars), or `None`
/// when the answer needs the full parse: a syntax error before the stop, a root that is
/// not a mapping, an alias or a complex key at the root, several documents. Text after
/// the stop is not read, so an error there (a syntax error, a duplicate key) is not seen.
pub fn root_scalars<'a>(text: &'a str, limits: Limits, wanted: &[&str]) -> Option<Tree<'a>> {
    // A report opens with its fields: their lines alone answer, without granit's parser.
    super::fast::root_scalars(text, wanted).or_else(|| granit_root_scalars(text, limits, wanted))
}

/// [`root_scalars`] read with granit's parser.
fn granit_root_scalars<'a>(text: &'a str, limits: Limits, wanted: &[&str]) -> Option<Tree<'a>> {
    let mut options = granit_parser::Options::default();
    // One more than ours, so our own check (which names the limit) answers first.
    options.block_nesting_limit = limits.max_depth + 1;
    options.flow_nesting_limit = limits.max_depth + 1;
    let parser = Parser::new_from_str_with_options(text, options);
    let mut nodes: Vec<Node> = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut depth = 0usize;
    let mut documents = 0;
    let mut root_start = None;
    // At the root: the key waiting for its value (`Some(None)`: a key not wanted).
    let mut key: Option<Option<(Cow<'a, str>, Span)>> = None;
    let done = |entries: &[Entry]| wanted.iter().all(|w| entries.iter().any(|e| e.key == *w));
    for next in parser {
        let (event, span) = next.ok()?;
        let range = span.byte_range().unwrap_or(0..0);
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                match depth {
                    0 if matches!(event, Event::MappingStart(..)) => root_start = Some(range.start),
                    0 => return None,
                    // A collection as a root key: complex.
                    1 if key.is_none() => return None,
                    1 => key = None,
                    _ => {}
                }
                depth += 1;
                if depth > limits.max_depth {
                    return None;
                }
            }
            // At the root's end, read on: a second document must still be seen.
            Event::MappingEnd | Event::SequenceEnd => depth = depth.checked_sub(1)?,
            Event::Alias(_) | Event::UnresolvedAlias(_) if depth <= 1 => return None,
            Event::Scalar(text, style, ..) if depth == 1 => match key.take() {
                None => {
                    let wanted_key = wanted.iter().any(|w| *w == text);
                    if wanted_key && entries.iter().any(|e| e.key == text) {
                        return None; // a duplicate key: the full parse reports it
                    }
                    key = Some(wanted_key.then_some((text, range)));
                }
                Some(None) => {}
                Some(Some((k, key_span))) => {
                    nodes.push(Node {
                        span: range,
                        kind: NodeKind::Scalar {
                            text,
                            plain: matches!(style, ScalarStyle::Plain),
                        },
                    });
                    entries.push(Entry {
                        key: k,
                        key_span,
                        value: nodes.len() - 1,
                    });
                    if done(&entries) {
                        break;
                    }
                }
            },
            Event::Scalar(..) if depth == 0 => return None,
            _ => {}
        }
    }
    let start = root_start?;
    nodes.push(Node {
        span: start..start,
        kind: NodeKind::Map(entries),
    });
    Some(Tree {
        root: nodes.len() - 1,
        nodes,
        comments: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar<'t>(tree: &'t Tree, id: NodeId) -> &'t str {
        match &tree.node(id).kind {
            NodeKind::Scalar { text, .. } => text,
            _ => panic!("not a scalar"),
        }
    }

    #[test]
    fn spans_of_keys_and_values_are_byte_ranges() {
        let text = "申请:\n  新收: {自然人: 255, 总计: 271}\n";
        let tree = parse(text, Limits::default()).unwrap();
        let apply = tree.get(tree.root, "申请").unwrap().value;
        let row = tree.get(apply, "新收").unwrap().value;
        let cell = tree.get(row, "总计").unwrap();
        assert_eq!(scalar(&tree, cell.value), "271");
        assert_eq!(&text[tree.node(cell.value).span.clone()], "271");
        assert_eq!(&text[cell.key_span.clone()], "总计");
    }

    #[test]
    fn duplicate_keys_are_refused_with_both_places() {
        let text = "a: 1\nb: 2\na: 3\n";
        match parse(text, Limits::default()) {
            Err(YamlError::DuplicateKey { key, first, second }) => {
                assert_eq!(key, "a");
                assert_eq!((first.start, second.start), (0, 10));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let p = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        assert!(matches!(
            parse(&text, Limits::default()),
            Err(YamlError::TooManyNodes { .. })
        ));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(
            parse(&text, Limits::default()),
            Err(YamlError::Syntax { .. } | YamlError::TooDeep { .. })
        ));
    }
    #[test]
    fn root_scalars_stop_at_the_wanted_keys() {
        // The text after 年度 is broken: the cheap read never gets there.
        let text = "机关: 甲\n年度: 2020\n表: {a: 1}\n格式: [\n";
        let tree = root_scalars(text, Limits::default(), &["年度", "机关"]).unwrap();
        let year = tree.get(tree.root, "年度").unwrap();
        assert_eq!(scalar(&tree, year.value), "2020");
        assert_eq!(&text[year.key_span.clone()], "年度");
        assert_eq!(
            scalar(&tree, tree.get(tree.root, "机关").unwrap().value),
            "甲"
        );
        assert!(tree.get(tree.root, "表").is_none());
        // A wanted key after the break is not reached: the syntax error is.
        assert!(root_scalars(text, Limits::default(), &["格式"]).is_none());
    }

    #[test]
    fn root_scalars_agree_with_the_full_parse() {
        let text = "a: {b: 1, 机关: x}\nlist: [1, [2]]\n机关: \"乙\"\n年度: 2021 \n";
        let full = parse(text, Limits::default()).unwrap();
        let part = root_scalars(text, Limits::default(), &["机关", "年度", "无"]).unwrap();
        for k in ["机关", "年度"] {
            let (f, p) = (
                full.get(full.root, k).unwrap(),
                part.get(part.root, k).unwrap(),
            );
            assert_eq!(scalar(&full, f.value), scalar(&part, p.value));
            assert_eq!(full.node(f.value).span, part.node(p.value).span);
        }
        assert!(part.get(part.root, "a").is_none() && part.get(part.root, "无").is_none());
    }

    /// The fields as text: root span, then each wanted key with its span, value and span.
    fn fields(tree: &Tree) -> String {
        let mut out = format!("{:?}\n", tree.node(tree.root).span);
        for e in tree.entries(tree.root).unwrap_or(&[]) {
            let v = tree.node(e.value);
            out.push_str(&format!(
                "{} {:?} {:?} {:?}\n",
                e.key, e.key_span, v.kind, v.span
            ));
        }
        out
    }

    /// The line reader answers only where granit answers, and as granit does: the head of a
    /// report with a character put in at every place, or a few bytes taken out.
    #[test]
    fn root_scalars_from_lines_agree_with_granit() {
        let seed = include_str!("../../examples/chaoyang-2020.yaml");
        let head: String = seed.lines().take(12).map(|l| format!("{l}\n")).collect();
        let wanted = ["机关", "年度", "格式"];
        let mut fast = 0;
        for at in (0..head.len()).filter(|&i| head.is_char_boundary(i)) {
            let rest = &head[at..];
            let cut = rest.char_indices().nth(2).map_or(rest.len(), |(i, _)| i);
            let mut texts = vec![format!("{}{}", &head[..at], &rest[cut..])];
            for insert in [
                " ", "\n", "#", ":", " #", "\t", "'", "---\n", "- ", "{", "|", "\r", "&a ", "  x\n",
            ] {
                texts.push(format!("{}{insert}{rest}", &head[..at]));
            }
            for text in &texts {
                let Some(tree) = super::super::fast::root_scalars(text, &wanted) else {
                    continue;
                };
                fast += 1;
                let slow = granit_root_scalars(text, Limits::default(), &wanted)
                    .unwrap_or_else(|| panic!("granit gave up on {text:?}"));
                assert_eq!(fields(&tree), fields(&slow), "for {text:?}");
            }
        }
        assert!(fast > 1000, "the line reader answered {fast} times");
    }

    #[test]
    fn root_scalars_leave_hard_cases_to_the_full_parse() {
        let l = Limits::default();
        assert!(root_scalars("- 机关: 甲\n", l, &["机关"]).is_none());
        assert!(root_scalars("a: &x 甲\n机关: *x\n", l, &["机关"]).is_none());
        assert!(root_scalars("机关: 甲\n机关: 乙\n年度: 1\n", l, &["机关", "年度"]).is_none());
        assert!(root_scalars("? [a]\n: 1\n机关: 甲\n", l, &["机关"]).is_none());
        assert!(root_scalars("机关: 甲\n---\n机关: 乙\n", l, &["机关", "x"]).is_none());
    }
}

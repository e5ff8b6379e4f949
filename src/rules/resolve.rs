//! Path resolution: a path of the rule language → the template nodes and cell slots it
//! selects in one schema (wildcards, indexes by `for each` variables, `except`, lists).

use super::ast::*;
use super::compile::{Binding, Compiler};
use super::error::RuleError;
use super::ir::{CExpr, Const, Ty};
use crate::document::did_you_mean;
use crate::messages::rules::CompileMsg;
use crate::schema::{CellKind, SKind, SNodeId, ROOT};
use crate::source::Span;

/// What a path selects.
pub(super) struct Selection {
    pub nodes: Vec<SNodeId>,
    /// For each node, the node its last wildcard produced: `except` tests that one's key,
    /// so `办理结果.**[c] except 总计` leaves out the 总计 row, not the 总计 column.
    pub tags: Vec<SNodeId>,
    pub many: bool,
    /// A path through a list: (list node, keys after the item).
    pub list: Option<(SNodeId, Vec<String>)>,
}

impl Compiler<'_> {
    pub(super) fn path_value(&mut self, path: &Path) -> Result<(CExpr, Ty), RuleError> {
        // A lone variable name: a column's label, a local value, or a bound cell.
        if let ([Segment::Name(n)], true) = (path.segments.as_slice(), path.except.is_empty()) {
            match self.var(&n.node) {
                Some(Binding::Local(i, ty)) => return Ok((CExpr::Local(i), ty)),
                Some(Binding::Column(c)) => {
                    return Ok((
                        CExpr::Const(Const::Text(self.schema.node(c).label.as_str().into())),
                        Ty::Text,
                    ))
                }
                _ => {}
            }
        }
        let sel = self.select(path)?;
        if let Some((list, keys)) = sel.list {
            let kind = keys
                .iter()
                .try_fold(list, |n, k| self.schema.child(n, k))
                .map(|n| &self.schema.node(n).kind);
            if !matches!(kind, Some(SKind::Scalar { kind, .. }) if kind.is_numeric()) {
                return Err(self.err(CompileMsg::ListPathNotNumber, &path.span));
            }
            let label = self.schema.label(list);
            return Ok((
                CExpr::ListField {
                    list,
                    keys: keys.into(),
                    label: label.into(),
                },
                Ty::NumList,
            ));
        }
        let mut slots = Vec::with_capacity(sel.nodes.len());
        let mut text = false;
        for &n in &sel.nodes {
            match self.schema.node(n).kind {
                SKind::Scalar { kind, slot } => {
                    text |= !kind.is_numeric();
                    slots.push(slot);
                }
                _ => {
                    let label = self.schema.label(n);
                    let what = match self.schema.node(n).kind {
                        SKind::Row => CompileMsg::IsRow { label },
                        SKind::Table { .. } | SKind::RowGroup => CompileMsg::IsTable { label },
                        _ => CompileMsg::IsGroup { label },
                    };
                    return Err(self.err(what, &path.span));
                }
            }
        }
        if sel.many {
            if text {
                return Err(self.err(CompileMsg::TextListArithmetic, &path.span));
            }
            return Ok((CExpr::List(slots), Ty::NumList));
        }
        if let [n] = *sel.nodes.as_slice() {
            if matches!(
                self.schema.node(n).kind,
                SKind::Scalar {
                    kind: CellKind::Date,
                    ..
                }
            ) {
                // A date cell reads as the date written in it.
                let call = CExpr::Call {
                    func: &super::functions::dates::DATE,
                    args: vec![CExpr::Slot(slots[0])],
                    regex: None,
                    span: path.span.clone(),
                };
                return Ok((call, Ty::Date));
            }
        }
        let ty = if text { Ty::Text } else { Ty::Num };
        Ok((CExpr::Slot(slots[0]), ty))
    }

    pub(super) fn var(&self, name: &str) -> Option<Binding> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.clone())
    }

    /// Resolve a path against the schema.
    pub(super) fn select(&mut self, path: &Path) -> Result<Selection, RuleError> {
        let schema = self.schema;
        let mut sel = Selection {
            nodes: vec![ROOT],
            tags: vec![ROOT],
            many: false,
            list: None,
        };
        for (i, seg) in path.segments.iter().enumerate() {
            if let Some((_, keys)) = &mut sel.list {
                match seg {
                    Segment::Name(n) => keys.push(n.node.clone()),
                    Segment::Star(_) if keys.is_empty() => {}
                    _ => return Err(self.err(CompileMsg::ListItemFields, &path.span)),
                }
                continue;
            }
            let mut next = Vec::new();
            let mut tags = Vec::new();
            match seg {
                Segment::Name(n) if i == 0 && self.var(&n.node).is_some() => {
                    match self.var(&n.node) {
                        Some(Binding::Node(node)) => {
                            next.push(node);
                            tags.push(node);
                        }
                        Some(Binding::Column(_)) => {
                            return Err(self.err(
                                CompileMsg::VarIsColumn {
                                    name: n.node.clone(),
                                },
                                &n.span,
                            ))
                        }
                        _ => {
                            return Err(self.err(
                                CompileMsg::VarIsValue {
                                    name: n.node.clone(),
                                },
                                &n.span,
                            ))
                        }
                    }
                }
                Segment::Name(n) => {
                    for (&node, &tag) in sel.nodes.iter().zip(&sel.tags) {
                        next.push(self.child(node, &n.node, &n.span)?);
                        tags.push(tag);
                    }
                }
                Segment::Index(e) => {
                    let key = match &e.kind {
                        ExprKind::Path(p) if p.segments.len() == 1 => {
                            match (&p.segments[0], p.segments.len()) {
                                (Segment::Name(n), 1) => match self.var(&n.node) {
                                    Some(Binding::Column(c)) | Some(Binding::Node(c)) => {
                                        Some((schema.node(c).key.clone(), n.span.clone()))
                                    }
                                    _ => None,
                                },
                                _ => None,
                            }
                        }
                        ExprKind::Text(t) => Some((t.clone(), e.span.clone())),
                        _ => None,
                    };
                    let Some((key, kspan)) = key else {
                        return Err(self.err(CompileMsg::BadIndex, &e.span));
                    };
                    for (&node, &tag) in sel.nodes.iter().zip(&sel.tags) {
                        next.push(self.child(node, &key, &kspan)?);
                        tags.push(tag);
                    }
                }
                Segment::Star(_) | Segment::Deep(_) => {
                    sel.many = true;
                    for &node in &sel.nodes {
                        match (&schema.node(node).kind, seg) {
                            (SKind::List { .. }, _) => {
                                sel.list = Some((node, vec![]));
                                break;
                            }
                            (SKind::Table { .. } | SKind::RowGroup, Segment::Deep(_)) => {
                                schema.rows_below(node, &mut next)
                            }
                            (SKind::Group, Segment::Deep(_)) => {
                                schema.scalars_below(node, &mut next)
                            }
                            _ => next.extend(
                                schema
                                    .node(node)
                                    .children
                                    .iter()
                                    .copied()
                                    .filter(|&c| !schema.node(c).optional),
                            ),
                        }
                    }
                    tags.clone_from(&next);
                    if let Some((list, _)) = &sel.list {
                        sel.list = Some((
                            match &schema.node(*list).kind {
                                SKind::List { item } => *item,
                                _ => *list,
                            },
                            vec![],
                        ));
                        continue;
                    }
                }
            }
            if next.is_empty() && sel.list.is_none() {
                return Err(self.err(CompileMsg::SelectsNothing, &path.span));
            }
            sel.nodes = next;
            sel.tags = tags;
        }
        if let Some((item, keys)) = sel.list.take() {
            // Validate the keys against the item's schema.
            let mut at = item;
            for k in &keys {
                at = self.child(at, k, &path.span)?;
            }
            sel.list = Some((item, keys));
            return Ok(sel);
        }
        if !path.except.is_empty() {
            if !sel.many {
                return Err(self.err(CompileMsg::ExceptWithoutWildcard, &path.span));
            }
            for name in &path.except {
                if !sel.tags.iter().any(|&n| schema.node(n).key == name.node) {
                    return Err(self.err(
                        CompileMsg::ExceptNothing {
                            name: name.node.clone(),
                        },
                        &name.span,
                    ));
                }
            }
            let keep: Vec<bool> = sel
                .tags
                .iter()
                .map(|&t| !path.except.iter().any(|x| x.node == schema.node(t).key))
                .collect();
            let mut k = keep.iter();
            sel.nodes.retain(|_| *k.next().unwrap_or(&true));
        }
        Ok(sel)
    }

    pub(super) fn child(
        &self,
        node: SNodeId,
        key: &str,
        span: &Span,
    ) -> Result<SNodeId, RuleError> {
        let schema = self.schema;
        if let Some(c) = schema.child(node, key) {
            return Ok(c);
        }
        let keys = super::child_keys(schema, node);
        let here = if node == ROOT {
            CompileMsg::TheReport.to_string()
        } else {
            format!("「{}」", schema.label(node))
        };
        let help = match did_you_mean(key, &keys) {
            Some(k) => CompileMsg::DidYouMean {
                name: k.to_string(),
            },
            None => CompileMsg::Has {
                here: here.clone(),
                keys: keys.join(crate::messages::list_sep()),
            },
        };
        let message = CompileMsg::NotInFormat {
            key: key.to_string(),
            format: schema.name.clone(),
            here,
        };
        Err(self
            .err(message, span)
            .with_label(CompileMsg::UnknownName.to_string())
            .with_help(help.to_string()))
    }
}

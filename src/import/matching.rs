//! Fuzzy matching of row labels: which template row the end of a text names.

/// How a label text was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// The text ends with the label.
    Exact,
    /// The text ends with the start of the label (a label wrapped around its numbers).
    Prefix,
    /// The text ends with something within a small edit distance of the label.
    Fuzzy,
}

/// Find which of `candidates` (row index, its keys) the end of `text` names.
/// Returns the row and how it matched; `None` when nothing or more than one
/// row fits equally well.
pub fn match_tail(
    text: &str,
    candidates: &[(usize, Vec<String>)],
) -> Option<(usize, MatchKind, usize)> {
    let t: Vec<char> = text.chars().collect();
    if t.is_empty() {
        return None;
    }
    // 1. exact suffix, longest wins
    let mut best: Option<(usize, usize)> = None;
    let mut tie = false;
    for (row, ks) in candidates {
        for k in ks {
            let kc: Vec<char> = k.chars().collect();
            if kc.len() <= t.len() && t[t.len() - kc.len()..] == kc[..] {
                match best {
                    Some((_, l)) if l > kc.len() => {}
                    Some((r, l)) if l == kc.len() => tie |= r != *row,
                    _ => {
                        best = Some((*row, kc.len()));
                        tie = false;
                    }
                }
            }
        }
    }
    if let Some((row, len)) = best {
        return (!tie).then_some((row, MatchKind::Exact, len));
    }
    // 2. the text ends with the first part of a label (≥ 6 characters of it)
    let mut best: Option<(usize, usize)> = None;
    let mut tie = false;
    for (row, ks) in candidates {
        for k in ks {
            let kc: Vec<char> = k.chars().collect();
            for len in (6..kc.len()).rev() {
                if len <= t.len() && t[t.len() - len..] == kc[..len] {
                    match best {
                        Some((_, l)) if l > len => {}
                        Some((r, l)) if l == len => tie |= r != *row,
                        _ => {
                            best = Some((*row, len));
                            tie = false;
                        }
                    }
                    break;
                }
            }
        }
    }
    if let Some((row, len)) = best {
        return (!tie).then_some((row, MatchKind::Prefix, len));
    }
    // 3. a typo: small edit distance against a tail of about the same length
    let mut best: Option<(usize, usize, usize)> = None; // row, distance, tail length
    let mut tie = false;
    for (row, ks) in candidates {
        for k in ks {
            let kl = k.chars().count();
            if kl < 6 {
                continue;
            }
            let allowed = kl / 4;
            for len in kl.saturating_sub(allowed)..=kl + allowed {
                if len == 0 || len > t.len() {
                    continue;
                }
                let tail: String = t[t.len() - len..].iter().collect();
                let d = strsim::levenshtein(&tail, k);
                if d <= allowed {
                    match best {
                        Some((_, bd, _)) if bd < d => {}
                        Some((r, bd, _)) if bd == d => tie |= r != *row,
                        _ => {
                            best = Some((*row, d, len));
                            tie = false;
                        }
                    }
                }
            }
        }
    }
    match best {
        Some((row, _, len)) if !tie => Some((row, MatchKind::Fuzzy, len)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::normalise::{keys, norm};
    use super::*;

    #[test]
    fn tail_matching() {
        let cands: Vec<(usize, Vec<String>)> = vec![
            (0, keys("1.属于国家秘密")),
            (1, keys("2.其他法律行政法规禁止公开")),
            (2, keys("3.其他")),
        ];
        assert_eq!(
            match_tail(&norm("（三）不予公开1.属于国家秘密"), &cands).map(|m| m.0),
            Some(0)
        );
        assert_eq!(
            match_tail(&norm("2.其他法律行政止公开"), &cands).map(|m| (m.0, m.1)),
            Some((1, MatchKind::Fuzzy))
        );
        assert_eq!(match_tail(&norm("法律服务机构其他"), &cands), None);
        assert_eq!(
            match_tail(&norm("2.其他法律行政法规禁"), &cands).map(|m| (m.0, m.1)),
            Some((1, MatchKind::Prefix))
        );
    }
}

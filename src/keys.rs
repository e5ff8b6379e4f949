//! Keys that are not the template's but look like one: the same key once full-width forms,
//! CJK compatibility and Kangxi radical forms, traditional characters, invisible
//! characters, odd spaces and a glued-on value (`总计：183`) are taken out. Such a key is
//! an error (it leaves the template's key missing), and the finding says what it was meant
//! to be and why it is not.

use unicode_normalization::UnicodeNormalization;

mod traditional;

pub use traditional::DERIVED_FROM;

/// Why a written key differs from the template key it resembles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// Full-width letters, digits or signs (`Ａ`, `１`), in the order written.
    FullWidth(String),
    /// A CJK compatibility ideograph or a Kangxi radical standing for an ordinary character.
    Compatibility(char),
    /// A traditional character where the template has the simplified one.
    Traditional { written: char, template: char },
    /// A zero-width or other invisible character (U+200B, U+2060, …).
    Invisible(char),
    /// A byte-order mark (U+FEFF) inside the file.
    Bom,
    /// A space, a no-break space (U+00A0) or another Unicode space inside or around the key.
    Space(char),
    /// The value glued to the key with a full-width colon (`总计：183`).
    FullWidthColon,
    /// The value glued to the key with a colon but no space (`总计:183`).
    ColonWithoutSpace,
}

/// A key as the template would spell it, and what had to change to get there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    pub key: String,
    /// What followed a colon inside the key (`183` of `总计：183`), when there was one.
    pub glued: Option<String>,
    pub causes: Vec<Cause>,
}

/// Characters that show nothing: format characters, fillers, variation selectors.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FFA0}'
        | '\u{FFF9}'..='\u{FFFB}' | '\u{E0000}'..='\u{E0FFF}')
        || (c.is_control() && !c.is_whitespace())
}

/// The text with every invisible character, BOM and space other than U+0020 written as
/// `\u{…}`, so a message shows what is there.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\u{FEFF}' || invisible(c) || (c.is_whitespace() && c != ' ') {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The simplified character of a traditional one (for the characters of the schemas' keys).
fn simplified(c: char) -> Option<char> {
    let table = traditional::TRADITIONAL;
    let i = table.partition_point(|&(t, _)| t < c);
    table.get(i).filter(|&&(t, _)| t == c).map(|&(_, s)| s)
}

/// The key with every look-alike difference taken out, and the differences.
pub fn normalise(key: &str) -> Normalised {
    let mut out = String::with_capacity(key.len());
    let mut causes = Vec::new();
    let mut glued = None;
    let note = |cause: Cause, causes: &mut Vec<Cause>| {
        if !causes.contains(&cause) {
            causes.push(cause);
        }
    };
    for (i, c) in key.char_indices() {
        if c == '\u{FEFF}' {
            note(Cause::Bom, &mut causes);
            continue;
        }
        if invisible(c) {
            note(Cause::Invisible(c), &mut causes);
            continue;
        }
        if c.is_whitespace() {
            note(Cause::Space(c), &mut causes);
            continue;
        }
        if c == '：' || c == ':' || c == '︰' || c == '﹕' {
            note(
                if c == ':' {
                    Cause::ColonWithoutSpace
                } else {
                    Cause::FullWidthColon
                },
                &mut causes,
            );
            let rest = key[i + c.len_utf8()..].trim();
            glued = (!rest.is_empty()).then(|| rest.to_string());
            break;
        }
        let mut compatible = c.to_string().nfkc().collect::<String>();
        if compatible != c.to_string() {
            if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
                match causes.iter_mut().find_map(|k| match k {
                    Cause::FullWidth(s) => Some(s),
                    _ => None,
                }) {
                    Some(s) => s.push(c),
                    None => causes.push(Cause::FullWidth(c.to_string())),
                }
            } else {
                note(Cause::Compatibility(c), &mut causes);
            }
        } else {
            compatible.clear();
            compatible.push(c);
        }
        for n in compatible.chars().filter(|n| !n.is_whitespace()) {
            match simplified(n) {
                Some(s) => {
                    note(
                        Cause::Traditional {
                            written: n,
                            template: s,
                        },
                        &mut causes,
                    );
                    out.push(s);
                }
                None => out.push(n),
            }
        }
    }
    Normalised {
        key: out,
        glued,
        causes,
    }
}

/// The template key a written key stands for, when it differs only in look-alike ways;
/// with the normalised form of the written key.
pub fn resembles<'k>(written: &str, template: &[&'k str]) -> Option<(&'k str, Normalised)> {
    let n = normalise(written);
    if n.causes.is_empty() {
        return None;
    }
    let found = template
        .iter()
        .find(|t| **t == n.key || normalise(t).key == n.key)?;
    Some((found, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alikes_are_taken_out_and_named() {
        let keys = ["总计", "新收", "自然人", "小计", "第一项"];
        let cases: &[(&str, &str, Cause)] = &[
            (
                "總計",
                "总计",
                Cause::Traditional {
                    written: '總',
                    template: '总',
                },
            ),
            ("总\u{200B}计", "总计", Cause::Invisible('\u{200B}')),
            ("\u{FEFF}新收", "新收", Cause::Bom),
            ("新收\u{00A0}", "新收", Cause::Space('\u{00A0}')),
            ("总计：183", "总计", Cause::FullWidthColon),
            ("总计:183", "总计", Cause::ColonWithoutSpace),
            // U+2F29 is the Kangxi radical 小.
            ("\u{2F29}计", "小计", Cause::Compatibility('\u{2F29}')),
            ("第１项", "第一项", Cause::FullWidth("１".into())),
        ];
        for (written, meant, cause) in cases {
            let n = normalise(written);
            assert!(n.causes.contains(cause), "{written}: {n:?}");
            if *meant != "第一项" {
                assert_eq!(
                    resembles(written, &keys).map(|r| r.0),
                    Some(*meant),
                    "{written}"
                );
            }
        }
        assert_eq!(normalise("总计：183").glued.as_deref(), Some("183"));
        assert_eq!(
            normalise("２０１９").causes,
            [Cause::FullWidth("２０１９".into())]
        );
        // `第１项` becomes `第1项`: not the template's `第一项`, so no resemblance is claimed.
        assert_eq!(resembles("第１项", &keys), None);
        // A key that is the template's, or unlike any, resembles nothing.
        assert_eq!(resembles("总计", &keys), None);
        assert_eq!(resembles("合計", &keys), None);
    }

    #[test]
    fn the_table_is_sorted_and_covers_every_character_of_the_builtin_keys() {
        let table = traditional::TRADITIONAL;
        assert!(table.windows(2).all(|w| w[0] <= w[1]));
        assert!(table
            .iter()
            .all(|(t, s)| t != s && DERIVED_FROM.contains(*s)));
        let registry = crate::schema::Registry::builtin();
        for schema in &registry.schemas {
            for node in &schema.nodes {
                for c in node.key.chars().filter(|c| *c > '\u{2E80}') {
                    assert!(
                        DERIVED_FROM.contains(c),
                        "`{c}` of `{}` in format {}: regenerate src/keys/traditional.rs",
                        node.key,
                        schema.name
                    );
                }
            }
        }
    }
}

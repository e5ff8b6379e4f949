//! The message catalogue: every sentence gouji says to a person, in Chinese (the users'
//! language, the default) and in English (`--lang en`).
//!
//! Each area of the tool has one file here holding its messages as a typed enum made with
//! [`catalogue!`]: a variant per message, its arguments as fields, and both texts side by
//! side, so a message cannot lack a translation or be given the wrong arguments (the
//! compiler checks both). Code builds a variant and displays it; no user-facing sentence is
//! written anywhere else.
//!
//! ```ignore
//! catalogue! {
//!     /// Reading a report file.
//!     pub enum LoadMsg {
//!         TooLarge { size: u64, limit: u64 } =>
//!             "文件有 {size} 字节，超过 {limit} 字节的上限，不予读取",
//!             "the file has {size} bytes, over the limit of {limit}; not read",
//!     }
//! }
//! let text = LoadMsg::TooLarge { size, limit }.to_string();
//! ```
//!
//! The language is chosen once per process ([`set_lang`], from `--lang` or `GOUJI_LANG`)
//! and read with [`lang`]; the library never changes it.

use std::sync::atomic::{AtomicU8, Ordering};

pub mod cli;
pub mod config;
pub mod html;
pub mod import;
pub mod load;
pub mod lsp;
pub mod render;
pub mod repair;
pub mod rules;
pub mod schema;
pub mod structure;
pub mod suppress;

/// A language gouji speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// 中文, the default.
    #[default]
    Zh,
    /// English
    En,
}

impl Lang {
    /// `zh`, `zh-CN`, `zh_CN.UTF-8`, `en`, `en-US`, … → a language; anything else → `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s == "zh" || s.starts_with("zh-") || s.starts_with("zh_") {
            Some(Lang::Zh)
        } else if s == "en" || s.starts_with("en-") || s.starts_with("en_") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

static LANG: AtomicU8 = AtomicU8::new(0);

/// Sets the language of every message from now on (the CLI does this once, at start).
pub fn set_lang(lang: Lang) {
    LANG.store(lang as u8, Ordering::Relaxed);
}

/// The language messages are written in.
pub fn lang() -> Lang {
    match LANG.load(Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Zh,
    }
}

/// Picks the text of the current language.
pub fn pick<T>(zh: T, en: T) -> T {
    match lang() {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A message of the catalogue (every enum made with [`catalogue!`]): what the places that
/// must speak from the catalogue take, so a sentence written in code does not compile there.
pub trait Message: std::fmt::Display {}

/// The separator of a list of names in a sentence: `、` in Chinese, `, ` in English.
pub fn list_sep() -> &'static str {
    pick("、", ", ")
}

/// Declares one area's messages: an enum whose variants carry the arguments, and a
/// `Display` that writes the Chinese or English text with those arguments (format strings
/// name the fields: `{size}`, `{limit:>4}`).
#[macro_export]
macro_rules! catalogue {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $({ $($field:ident : $ty:ty),* $(,)? })? => $zh:literal, $en:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant $({ $($field : $ty),* })?,
            )*
        }

        impl $name {
            /// Writes the message in `lang`.
            #[allow(unused_variables, dead_code)]
            pub fn write_in(
                &self,
                lang: $crate::messages::Lang,
                f: &mut dyn ::std::fmt::Write,
            ) -> ::std::fmt::Result {
                match self {
                    $(
                        $name::$variant $({ $($field),* })? => match lang {
                            $crate::messages::Lang::Zh => write!(f, $zh),
                            $crate::messages::Lang::En => write!(f, $en),
                        },
                    )*
                }
            }

            /// The message in `lang` (tests; code displays it in the current language).
            #[allow(dead_code)]
            pub fn text_in(&self, lang: $crate::messages::Lang) -> String {
                let mut s = String::new();
                let _ = self.write_in(lang, &mut s);
                s
            }
        }

        impl $crate::messages::Message for $name {}

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.write_in($crate::messages::lang(), f)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::catalogue! {
        enum Demo {
            Plain => "你好", "hello",
            Args { n: u32, name: String } => "{name} 有 {n} 件", "{name} has {n}",
        }
    }

    #[test]
    fn both_languages_with_arguments() {
        let m = Demo::Args {
            n: 3,
            name: "表三".into(),
        };
        assert_eq!(m.to_string(), "表三 有 3 件", "Chinese is the default");
        assert_eq!(m.text_in(Lang::En), "表三 has 3");
        assert_eq!(Demo::Plain.text_in(Lang::Zh), "你好");
        assert_eq!(Demo::Plain.text_in(Lang::En), "hello");
    }

    #[test]
    fn parses_locale_names() {
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}

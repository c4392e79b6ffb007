//! The closed vocabularies a roster or a form writes in words (学历, 会议类型, …), each declared once
//! by [`vocabulary!`]: a value's stable id (JSON, the database), its Chinese and English labels,
//! and the other spellings offices use for it.

/// A closed vocabulary a roster writes in words: each value's stable id (JSON, the database), its
/// Chinese and English labels, and the other spellings offices use for it.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $id:literal, $zh:literal, $en:literal, [$($alias:literal),*];)+ }) => {
        $(#[$meta])*
        #[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)+
                }
            }

            /// Accepts the id, either label, or an alias, ignoring case and surrounding spaces.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                $(
                    if s == $id || s == $zh || s.eq_ignore_ascii_case($en) $(|| s.eq_ignore_ascii_case($alias))* {
                        return Some($name::$variant);
                    }
                )+
                None
            }

            pub fn label(self) -> Text {
                Text::new(self.zh(), match self {
                    $($name::$variant => $en,)+
                })
            }

            /// The Chinese label, as rosters and documents write it.
            pub fn zh(self) -> &'static str {
                match self {
                    $($name::$variant => $zh,)+
                }
            }
        }
    };
}

// For the vocabularies declared outside `domain` (the appraisal's steps, a complaint's channel, …).
pub(crate) use vocabulary;

//! The recovery code: 120 random bits written as 24 characters of Crockford's base32, in six
//! groups of four (`7F3K-…`), printed on one page for the office safe.
//!
//! Crockford's alphabet has no I, L, O or U, and reading accepts `I`/`L` as 1 and `O` as 0, in
//! either case, with or without the dashes, so a code copied from paper by hand still opens.

use zeroize::Zeroizing;

use crate::{Error, Result};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CHARS: usize = 24;
const GROUP: usize = 4;

/// A recovery code, normalised (24 characters, no dashes). Zeroised when dropped; its `Debug`
/// prints nothing of it.
#[derive(Clone)]
pub struct RecoveryCode(Zeroizing<String>);

impl RecoveryCode {
    pub fn generate() -> Result<RecoveryCode> {
        random_code().map(RecoveryCode)
    }

    /// Reads a code as a person types it. Refuses, naming the fault, what cannot be one.
    pub fn parse(typed: &str) -> Result<RecoveryCode> {
        read_code(typed, "recovery_code", ("恢复密钥", "a recovery code")).map(RecoveryCode)
    }

    /// The code as printed: `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`.
    pub fn grouped(&self) -> Zeroizing<String> {
        grouped(&self.0)
    }

    pub(crate) fn secret(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// 120 random bits as 24 characters of the alphabet (each byte's low 5 bits pick one: uniform).
pub(crate) fn random_code() -> Result<Zeroizing<String>> {
    let mut bytes = Zeroizing::new([0u8; CHARS]);
    getrandom::fill(bytes.as_mut()).map_err(|_| Error::Crypto("the system random source failed"))?;
    Ok(Zeroizing::new(bytes.iter().map(|b| ALPHABET[usize::from(b & 0x1f)] as char).collect()))
}

/// Reads a code of this alphabet as a person types it (dashes, spaces, case and the look-alike
/// letters forgiven), refusing what cannot be one under `field`, the code called `what`.
pub(crate) fn read_code(typed: &str, field: &str, what: (&str, &str)) -> Result<Zeroizing<String>> {
    let (what_zh, what_en) = what;
    let mut code = Zeroizing::new(String::with_capacity(CHARS));
    for c in typed.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        };
        if !ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
            return Err(Error::invalid(
                field,
                format!("{what_zh}中不应有字符「{c}」"),
                format!("{what_en} has no “{c}”"),
            ));
        }
        code.push(c);
    }
    if code.len() != CHARS {
        return Err(Error::invalid(
            field,
            format!("{what_zh}应为 {CHARS} 个字符，这里有 {} 个", code.len()),
            format!("{what_en} has {CHARS} characters; this has {}", code.len()),
        ));
    }
    Ok(code)
}

/// A normalised code as printed: `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`.
pub(crate) fn grouped(code: &str) -> Zeroizing<String> {
    let groups: Vec<&str> = (0..code.len() / GROUP).map(|i| &code[i * GROUP..(i + 1) * GROUP]).collect();
    Zeroizing::new(groups.join("-"))
}

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        let code = RecoveryCode::generate().unwrap();
        let printed = code.grouped();
        assert_eq!(printed.len(), 29);
        assert_eq!(printed.matches('-').count(), 5);
        let sloppy = printed.to_lowercase().replace('-', " ");
        assert_eq!(RecoveryCode::parse(&sloppy).unwrap().secret(), code.secret());
    }

    #[test]
    fn letters_that_look_like_digits_are_read_as_digits() {
        let typed = "OOOO-IIII-LLLL-0000-1111-2222";
        assert_eq!(RecoveryCode::parse(typed).unwrap().secret(), b"000011111111000011112222");
    }

    #[test]
    fn a_wrong_length_or_a_foreign_character_is_named() {
        let short = RecoveryCode::parse("ABCD-EFGH").unwrap_err();
        assert!(short.message(crate::Lang::En).contains("this has 8"), "{short}");
        let foreign = RecoveryCode::parse("ABCD-EFGH-JKMN-PQRS-TVWX-YZU0").unwrap_err();
        assert!(foreign.message(crate::Lang::En).contains("“U”"), "{foreign}");
    }

    #[test]
    fn two_codes_differ() {
        assert_ne!(RecoveryCode::generate().unwrap().secret(), RecoveryCode::generate().unwrap().secret());
    }
}

//! Resident identity numbers (居民身份证号码), validated by the GB 11643-1999 check digit.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Date;

/// An 18-character identity number whose check digit and embedded birth date are valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdNumberError {
    /// Not 17 digits followed by a digit or X.
    Format,
    /// The embedded birth date (characters 7 to 14) is not a date.
    BirthDate,
    /// The check digit does not match (GB 11643-1999, ISO 7064 MOD 11-2).
    CheckDigit,
}

impl IdNumber {
    pub fn parse(input: &str) -> Result<IdNumber, IdNumberError> {
        let s = input.trim().to_ascii_uppercase();
        let bytes = s.as_bytes();
        if bytes.len() != 18
            || !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(IdNumberError::Format);
        }
        if birth_date_of(&s).is_none() {
            return Err(IdNumberError::BirthDate);
        }
        if check_digit(&bytes[..17]) != bytes[17] {
            return Err(IdNumberError::CheckDigit);
        }
        Ok(IdNumber(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date written in the number.
    pub fn birth_date(&self) -> Date {
        birth_date_of(&self.0).expect("validated on construction")
    }
}

fn birth_date_of(s: &str) -> Option<Date> {
    let digits = s.get(6..14)?;
    NaiveDate::parse_from_str(digits, "%Y%m%d").ok()
}

/// ISO 7064 MOD 11-2 as specified by GB 11643-1999.
fn check_digit(first17: &[u8]) -> u8 {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CODES: &[u8; 11] = b"10X98765432";
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    CODES[(sum % 11) as usize]
}

/// Completes 17 digits with their check digit (used by the demo data).
pub(crate) fn with_check_digit(first17: &str) -> String {
    format!("{first17}{}", check_digit(first17.as_bytes()) as char)
}

impl TryFrom<String> for IdNumber {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        IdNumber::parse(&s).map_err(|e| format!("invalid identity number: {e:?}"))
    }
}

impl From<IdNumber> for String {
    fn from(n: IdNumber) -> String {
        n.0
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb11643_check_digits_are_verified() {
        // The worked example of GB 11643-1999.
        assert!(IdNumber::parse("11010519491231002X").is_ok());
        assert!(IdNumber::parse("11010519491231002x").is_ok(), "lower-case x is accepted");
        assert_eq!(IdNumber::parse("110105194912310021"), Err(IdNumberError::CheckDigit));
        assert_eq!(IdNumber::parse("11010519491331002X"), Err(IdNumberError::BirthDate));
        assert_eq!(IdNumber::parse("1101051949123100"), Err(IdNumberError::Format));
        assert_eq!(IdNumber::parse("11010519491231002Y"), Err(IdNumberError::Format));
    }

    #[test]
    fn the_birth_date_is_read_from_the_number() {
        let n = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(n.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
    }

    #[test]
    fn generated_numbers_validate() {
        let n = with_check_digit("44030420050229123");
        assert_eq!(IdNumber::parse(&n), Err(IdNumberError::BirthDate), "2005 has no 29 February");
        let n = with_check_digit("44030420040229123");
        assert!(IdNumber::parse(&n).is_ok(), "{n}");
    }
}

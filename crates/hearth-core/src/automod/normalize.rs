//! The text AutoMod matches against: a "folded" form in which look-alike spellings of a word become
//! the same string, so that `ｆｒｅｅ ｎｉｔｒｏ`, `frée nitro`, `fr\u{200b}ee nitro` and `frее nitro` (two
//! Cyrillic `е`) all read `free nitro`.
//!
//! Folding is applied to message content and to keywords alike, so a rule written in any script still
//! matches text in that script. Steps, per character: NFKD (compatibility forms such as fullwidth,
//! ligatures and mathematical letters become plain letters, and accents split off), drop combining
//! marks (diacritics) and invisible format characters (zero-width spaces and joiners, bidi controls,
//! soft hyphens, tag characters), map common Cyrillic, Greek and Latin look-alikes to the Latin
//! letter they imitate, and lower-case the rest.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folded text longer than this is cut (at a character boundary). A message is at most 4000
/// characters, which fold to at most 16 KiB unless nearly every character expands under NFKD (a few
/// Arabic ligatures become 8–18 letters); the bound keeps the work per message fixed even then.
pub const MAX_FOLDED_BYTES: usize = 64 * 1024;

/// Invisible characters that change nothing a reader sees but split a word for a naive matcher:
/// zero-width space/joiners and direction marks, bidi embeddings and isolates, the word joiner and
/// invisible operators, the byte-order mark, the soft hyphen, Mongolian and Hangul fillers, and tag
/// characters. (Variation selectors and the combining grapheme joiner are combining marks, dropped
/// with the diacritics.)
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{061c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// The Latin letter(s) a character imitates, for characters NFKD leaves alone: Cyrillic and Greek
/// letters that look like Latin ones (upper and lower case separately, since `Н` looks like `H` but
/// `н` like a small-caps `H`), Latin letters with built-in strokes, and small capitals.
fn look_alike(c: char) -> Option<&'static str> {
    Some(match c {
        // Cyrillic capitals.
        'А' => "a",
        'В' => "b",
        'Е' | 'Ё' => "e",
        'З' => "3",
        'І' | 'Ї' => "i",
        'Ј' => "j",
        'К' => "k",
        'М' => "m",
        'Н' => "h",
        'О' => "o",
        'Р' => "p",
        'С' => "c",
        'Ѕ' => "s",
        'Т' => "t",
        'У' | 'Ү' => "y",
        'Х' => "x",
        'Ԁ' => "d",
        'Ԛ' => "q",
        'Ԝ' => "w",
        'Ӏ' => "l",
        // Cyrillic small letters.
        'а' => "a",
        'в' => "b",
        'е' | 'ё' => "e",
        'і' | 'ї' => "i",
        'ј' => "j",
        'к' => "k",
        'м' => "m",
        'н' => "h",
        'о' => "o",
        'п' => "n",
        'р' => "p",
        'с' => "c",
        'ѕ' => "s",
        'т' => "t",
        'у' | 'ү' => "y",
        'х' => "x",
        'ь' => "b",
        'һ' => "h",
        'ԁ' => "d",
        'ԛ' => "q",
        'ԝ' => "w",
        'ӏ' => "l",
        // Greek capitals.
        'Α' => "a",
        'Β' => "b",
        'Ε' => "e",
        'Ζ' => "z",
        'Η' => "h",
        'Ι' => "i",
        'Κ' => "k",
        'Μ' => "m",
        'Ν' => "n",
        'Ο' => "o",
        'Ρ' => "p",
        'Τ' => "t",
        'Υ' => "y",
        'Χ' => "x",
        // Greek small letters.
        'α' => "a",
        'β' => "b",
        'γ' => "y",
        'ε' => "e",
        'η' => "n",
        'ι' => "i",
        'κ' => "k",
        'ν' => "v",
        'ο' => "o",
        'ρ' => "p",
        'τ' => "t",
        'υ' => "u",
        'χ' => "x",
        'ω' => "w",
        // Latin letters NFKD does not decompose, and ligatures it keeps.
        'ı' => "i",
        'ȷ' => "j",
        'ł' | 'Ł' => "l",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' => "d",
        'ħ' | 'Ħ' => "h",
        'ŧ' | 'Ŧ' => "t",
        'ƀ' => "b",
        'ɑ' => "a",
        'ɡ' => "g",
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        // Small capitals.
        'ᴀ' => "a",
        'ꜰ' => "f",
        'ʙ' => "b",
        'ᴄ' => "c",
        'ᴅ' => "d",
        'ᴇ' => "e",
        'ɢ' => "g",
        'ʜ' => "h",
        'ɪ' => "i",
        'ᴊ' => "j",
        'ᴋ' => "k",
        'ʟ' => "l",
        'ᴍ' => "m",
        'ɴ' => "n",
        'ᴏ' => "o",
        'ᴘ' => "p",
        'ʀ' => "r",
        'ꜱ' => "s",
        'ᴛ' => "t",
        'ᴜ' => "u",
        'ᴠ' => "v",
        'ᴡ' => "w",
        'ʏ' => "y",
        'ᴢ' => "z",
        _ => return None,
    })
}

/// `text` folded for matching (see the module documentation), at most [`MAX_FOLDED_BYTES`].
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Plain ASCII has no compatibility forms, marks, invisible characters or look-alikes: lower-casing
    // is all folding does to it, and most messages take this path.
    if text.is_ascii() {
        let end = text.len().min(MAX_FOLDED_BYTES);
        out.push_str(&text[..end]);
        out.make_ascii_lowercase();
        return out;
    }
    for c in text.nfkd() {
        if is_combining_mark(c) || is_invisible_format(c) {
            continue;
        }
        let room = MAX_FOLDED_BYTES - out.len();
        if let Some(latin) = look_alike(c) {
            if latin.len() > room {
                break;
            }
            out.push_str(latin);
            continue;
        }
        for lower in c.to_lowercase() {
            let room = MAX_FOLDED_BYTES - out.len();
            match look_alike(lower) {
                Some(latin) if latin.len() <= room => out.push_str(latin),
                None if lower.len_utf8() <= room => out.push(lower),
                _ => return out,
            }
        }
    }
    out
}

/// `text` with invisible format characters removed and compatibility forms composed (NFKC), case and
/// accents kept: what link and invite detection reads, so that `ｄｉｓｃｏｒｄ．ｇｇ/x` and a link split by
/// zero-width spaces are still links, while an invite code keeps its case.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfkc() {
        if is_invisible_format(c) {
            continue;
        }
        if c.len_utf8() > MAX_FOLDED_BYTES - out.len() {
            break;
        }
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

/// A stable 64-bit fingerprint of a message's folded text with runs of whitespace collapsed, so that
/// `Buy NOW` and `buy  now ` count as the same content for duplicate detection. FNV-1a: fast, and the
/// same on every node and every run (unlike the standard library's randomly keyed hasher).
pub fn fingerprint(text: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for word in fold(text).split_whitespace() {
        for byte in word.bytes().chain(std::iter::once(b' ')) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evasions_fold_to_the_plain_word() {
        for evasive in [
            "FREE NITRO",
            "ｆｒｅｅ ｎｉｔｒｏ",
            "frée nïtrö",
            "fr\u{200b}ee ni\u{200d}tro",
            "fr\u{feff}ee\u{2060} nitro",
            "frее nitrо",
            "ꜰʀᴇᴇ ɴɪᴛʀᴏ",
            "𝐟𝐫𝐞𝐞 𝐧𝐢𝐭𝐫𝐨",
            "ＦＲＥＥ ＮＩＴＲＯ",
            "f\u{0336}r\u{0336}e\u{0336}e\u{0336} nitro",
            "ⓕⓡⓔⓔ ⓝⓘⓣⓡⓞ",
        ] {
            assert_eq!(fold(evasive), "free nitro", "{evasive:?}");
        }
        assert_eq!(fold("ΗΕLLΟ"), "hello", "Greek capitals read as Latin");
        assert_eq!(fold("Straße"), "strasse");
    }

    #[test]
    fn other_scripts_fold_consistently_with_their_keywords() {
        let word = "привет";
        assert_eq!(fold(&word.to_uppercase()), fold(word));
        assert_eq!(fold("日本語"), "日本語");
    }

    #[test]
    fn folding_is_bounded() {
        let huge = "\u{fdfa}".repeat(4000);
        assert!(fold(&huge).len() <= MAX_FOLDED_BYTES);
        assert!(clean(&huge).len() <= MAX_FOLDED_BYTES);
        let ascii = "A".repeat(MAX_FOLDED_BYTES + 10);
        assert_eq!(fold(&ascii).len(), MAX_FOLDED_BYTES);
    }

    #[test]
    fn cleaning_keeps_case_and_drops_invisible_characters() {
        assert_eq!(clean("ｄｉｓｃｏｒｄ．ｇｇ/AbC"), "discord.gg/AbC");
        assert_eq!(clean("disc\u{200b}ord.gg/x"), "discord.gg/x");
        assert_eq!(clean("plain"), "plain");
    }

    #[test]
    fn fingerprints_ignore_case_spacing_and_evasions() {
        assert_eq!(fingerprint("Buy NOW"), fingerprint("  buy   now "));
        assert_eq!(fingerprint("buy now"), fingerprint("ｂｕｙ n\u{200b}ow"));
        assert_ne!(fingerprint("buy now"), fingerprint("buy later"));
        assert_ne!(fingerprint("ab c"), fingerprint("a bc"));
    }
}

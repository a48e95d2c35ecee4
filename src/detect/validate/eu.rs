//! Validators: national identifiers of EU countries — DE Steuer-IdNr, FR NIR, ES NIF/NIE,
//! IT codice fiscale, NL BSN, PL PESEL, SE personnummer.
//!
//! Each takes the regex match as written (spaces, dots, dashes), reads its characters into a
//! stack buffer and checks structure, embedded date and check digit. Where an identifier
//! embeds a birth date, the date must be a real day from 1900 to today: nobody born earlier
//! is alive, and a future date is an order or account number that happens to fit.

use super::person::{today, Day};
use super::Validator;
use crate::temporal::days_in_month;

pub const VALIDATORS: &[(&str, Validator)] = &[
    ("de_steuer_id", de_steuer_id),
    ("fr_nir", fr_nir),
    ("es_nif", es_nif),
    ("es_nie", es_nie),
    ("it_codice_fiscale", it_codice_fiscale),
    ("nl_bsn", nl_bsn),
    ("pl_pesel", pl_pesel),
    ("se_personnummer", se_personnummer),
];

/// The ASCII letters and digits of `s`, upper-cased, into a stack buffer; `None` if more than
/// `N` or if `s` holds anything but those and the separators `seps`.
fn compact<const N: usize>(s: &str, seps: &[u8]) -> Option<([u8; N], usize)> {
    let mut buf = [0u8; N];
    let mut n = 0;
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() {
            if n == N {
                return None;
            }
            buf[n] = b.to_ascii_uppercase();
            n += 1;
        } else if !seps.contains(&b) {
            return None;
        }
    }
    Some((buf, n))
}

/// Exactly `len` ASCII digits of `s` as values 0..=9 (other characters ignored).
fn digit_values<const N: usize>(s: &str) -> Option<[u8; N]> {
    let (buf, n) = super::digits(s)?;
    if n != N {
        return None;
    }
    let mut out = [0u8; N];
    for (o, b) in out.iter_mut().zip(&buf[..N]) {
        *o = b - b'0';
    }
    Some(out)
}

fn is_valid_birth_date(y: i64, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) && y >= 1900 && Day(y, m, d) <= today()
}

/// DE steuerliche Identifikationsnummer (IdNr), § 139b AO. ELSTER's "Prüfung der Steuer- und
/// Steueridentifikationsnummer" (Bayerisches Landesamt für Steuern, ch. 2): 11 digits, the
/// first not 0 (IdNr starting with 0 are ELSTER's test numbers, never issued); in the first
/// ten digits exactly one digit occurs twice or three times, a threefold digit not three in a
/// row; the last digit is the ISO 7064 MOD 11,10 check digit of the first ten.
fn de_steuer_id(s: &str) -> bool {
    let Some(d) = digit_values::<11>(s) else { return false };
    if d[0] == 0 {
        return false;
    }
    let mut counts = [0u8; 10];
    for &x in &d[..10] {
        counts[x as usize] += 1;
    }
    let mut repeated = None;
    for (digit, &c) in counts.iter().enumerate() {
        if c > 1 {
            if repeated.is_some() || c > 3 {
                return false;
            }
            repeated = Some((digit as u8, c));
        }
    }
    let Some((digit, count)) = repeated else { return false };
    if count == 3 && d[..10].windows(3).any(|w| w.iter().all(|&x| x == digit)) {
        return false;
    }
    // ISO 7064 MOD 11,10.
    let mut product = 10u32;
    for &x in &d[..10] {
        let mut sum = (x as u32 + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (2 * sum) % 11;
    }
    let check = (11 - product) % 10;
    check == d[10] as u32
}

/// FR NIR (numéro de sécurité sociale), décret n° 82-103 art. 4 and INSEE's NIR schema:
/// sex (1, 2; 7, 8 for provisional numbers), year, month (01–12, or 20, 30–42 and 50–99 that
/// INSEE gives when the civil status is incomplete), department (01–99, 2A and 2B for
/// Corsica), commune, order number, and a key = 97 − (number mod 97), where Corsica's 2A reads
/// as 19 and 2B as 18.
fn fr_nir(s: &str) -> bool {
    let Some((c, n)) = compact::<15>(s, b" .") else { return false };
    if n != 15 || !matches!(c[0], b'1' | b'2' | b'7' | b'8') {
        return false;
    }
    let digit = |i: usize| c[i].is_ascii_digit();
    if !(0..15).filter(|&i| i != 5 && i != 6).all(digit) {
        return false;
    }
    let two = |i: usize| (c[i] - b'0') as u32 * 10 + (c[i + 1] - b'0') as u32;
    let month = two(3);
    if !matches!(month, 1..=12 | 20 | 30..=42 | 50..=99) {
        return false;
    }
    let department = match (c[5], c[6]) {
        (b'2', b'A') => 19,
        (b'2', b'B') => 18,
        (a, b) if a.is_ascii_digit() && b.is_ascii_digit() => two(5),
        _ => return false,
    };
    if department == 0 {
        return false;
    }
    let mut rem = 0u64;
    for (i, &b) in c[..13].iter().enumerate() {
        rem = match i {
            5 => (rem * 100 + department as u64) % 97,
            6 => rem,
            _ => (rem * 10 + (b - b'0') as u64) % 97,
        };
    }
    let key = two(13) as u64;
    (1..=97).contains(&key) && key == 97 - rem
}

/// The NIF/NIE control letters, by remainder mod 23 (Real Decreto 1553/2005 art. 11;
/// Ministerio del Interior, "Cálculo del dígito de control del NIF/NIE").
const ES_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

fn es_control(number: u32, letter: u8) -> bool {
    ES_LETTERS[(number % 23) as usize] == letter
}

/// ES NIF of a Spanish national (the DNI number): 8 digits and the control letter.
fn es_nif(s: &str) -> bool {
    let Some((c, n)) = compact::<9>(s, b" .-") else { return false };
    if n != 9 || !c[..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let number = c[..8].iter().fold(0u32, |a, &b| a * 10 + (b - b'0') as u32);
    es_control(number, c[8])
}

/// ES NIE (número de identidad de extranjero): X, Y or Z, 7 digits and the control letter,
/// computed as for a NIF with X, Y, Z read as 0, 1, 2.
fn es_nie(s: &str) -> bool {
    let Some((c, n)) = compact::<9>(s, b" .-") else { return false };
    let prefix = match c[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        _ => return false,
    };
    if n != 9 || !c[1..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let number = c[1..8].iter().fold(prefix, |a, &b| a * 10 + (b - b'0') as u32);
    es_control(number, c[8])
}

/// IT codice fiscale of a person, D.M. 23 dicembre 1976 (Ministero delle Finanze): 6 letters
/// of surname and name, year, month letter (ABCDEHLMPRST), day (+40 for women), a letter and 3
/// digits of the place of birth, and a check letter. Omocodia (two people with one code)
/// replaces digits, from the right, by the letters LMNPQRSTUV.
fn it_codice_fiscale(s: &str) -> bool {
    let Some((c, n)) = compact::<16>(s, b" ") else { return false };
    if n != 16 {
        return false;
    }
    // The value of a digit position, whether written as a digit or an omocodia letter.
    let num = |b: u8| -> Option<u32> {
        match b {
            b'0'..=b'9' => Some((b - b'0') as u32),
            _ => b"LMNPQRSTUV".iter().position(|&l| l == b).map(|p| p as u32),
        }
    };
    let letter = |i: usize| c[i].is_ascii_uppercase();
    if !(0..6).all(letter) || !letter(8) || !letter(11) || !letter(15) {
        return false;
    }
    let mut values = [0u32; 7];
    for (v, i) in values.iter_mut().zip([6, 7, 9, 10, 12, 13, 14]) {
        match num(c[i]) {
            Some(x) => *v = x,
            None => return false,
        }
    }
    let Some(month) = b"ABCDEHLMPRST".iter().position(|&l| l == c[8]) else { return false };
    let day = (values[2] * 10 + values[3]) % 40;
    // The century is not encoded: a leap year is possible for any two-digit year.
    if day == 0 || day > days_in_month(2000, month as u32 + 1) {
        return false;
    }
    // Odd positions (1st, 3rd, …) and even positions map characters differently; digits and
    // letters share a table: '0' as 'A', '1' as 'B', ….
    const ODD: [u32; 26] =
        [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
    let mut sum = 0;
    for (i, &b) in c[..15].iter().enumerate() {
        let k = if b.is_ascii_digit() { (b - b'0') as usize } else { (b - b'A') as usize };
        sum += if i % 2 == 0 { ODD[k] } else { k as u32 };
    }
    c[15] == b'A' + (sum % 26) as u8
}

/// NL burgerservicenummer (BSN): 9 digits (older numbers written with 8 have a leading 0)
/// passing the "elfproef" with weights 9..2 and −1 for the last digit (RvIG, Logisch Ontwerp
/// BRP; Wet algemene bepalingen burgerservicenummer).
fn nl_bsn(s: &str) -> bool {
    let Some(d) = digit_values::<9>(s) else { return false };
    let sum: i32 = d[..8].iter().zip((2..=9).rev()).map(|(&x, w)| x as i32 * w).sum::<i32>() - d[8] as i32;
    sum > 0 && sum % 11 == 0
}

/// PL PESEL (Ustawa o ewidencji ludności): YYMMDD with the century in the month (+0 for the
/// 1900s, +20 for the 2000s; +80, +40, +60 for the 1800s, 2100s, 2200s, which no living person
/// holds), a serial, and a check digit with weights 1-3-7-9.
fn pl_pesel(s: &str) -> bool {
    let Some(d) = digit_values::<11>(s) else { return false };
    let sum: u32 = d[..10].iter().zip([1, 3, 7, 9, 1, 3, 7, 9, 1, 3]).map(|(&x, w)| x as u32 * w).sum();
    if (10 - sum % 10) % 10 != d[10] as u32 {
        return false;
    }
    let yy = (d[0] * 10 + d[1]) as i64;
    let mm = (d[2] * 10 + d[3]) as u32;
    let dd = (d[4] * 10 + d[5]) as u32;
    let (year, month) = match mm {
        1..=12 => (1900 + yy, mm),
        21..=32 => (2000 + yy, mm - 20),
        _ => return false,
    };
    is_valid_birth_date(year, month, dd)
}

/// SE personnummer (folkbokföringslagen § 18; Skatteverket SKV 704): YYMMDD, a separator
/// ("-", or "+" from the year a person turns 100), three digits and a Luhn check digit over the
/// ten-digit form; systems also store it as twelve digits with the century. A
/// samordningsnummer (SKV 707) adds 60 to the day.
fn se_personnummer(s: &str) -> bool {
    let Some((buf, n)) = super::digits(s) else { return false };
    let d = |i: usize| (buf[i] - b'0') as u32;
    let (ten, century) = match n {
        10 => (&buf[..10], None),
        12 => (&buf[2..12], Some((d(0) * 10 + d(1)) as i64)),
        _ => return false,
    };
    // Luhn over the ten digits: double every other digit from the first.
    let sum: u32 = ten
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let x = (b - b'0') as u32 * if i % 2 == 0 { 2 } else { 1 };
            if x > 9 {
                x - 9
            } else {
                x
            }
        })
        .sum();
    if sum % 10 != 0 {
        return false;
    }
    let t = |i: usize| ((ten[i] - b'0') * 10 + (ten[i + 1] - b'0')) as u32;
    let (yy, mm, mut dd) = (t(0) as i64, t(2), t(4));
    if dd > 60 {
        dd -= 60;
    }
    let year = match century {
        Some(c) => c * 100 + yy,
        None => {
            // The latest year ending in yy not after this one; "+" means a hundred years more.
            let now = today().0;
            let mut y = now - (now - yy).rem_euclid(100);
            if s.contains('+') {
                y -= 100;
            }
            y
        }
    };
    is_valid_birth_date(year, mm, dd)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every single-digit change of a valid number must fail the check (the brief's negative
    /// examples): each position, each other digit.
    fn every_digit_change_fails(f: fn(&str) -> bool, valid: &str) {
        assert!(f(valid), "{valid} should be valid");
        let bytes = valid.as_bytes();
        for i in 0..bytes.len() {
            if !bytes[i].is_ascii_digit() {
                continue;
            }
            for d in b'0'..=b'9' {
                if d == bytes[i] {
                    continue;
                }
                let mut changed = bytes.to_vec();
                changed[i] = d;
                let changed = String::from_utf8(changed).unwrap();
                assert!(!f(&changed), "{changed} (from {valid}) should be invalid");
            }
        }
    }

    #[test]
    fn de_steuer_id_follows_elster() {
        // The examples of python-stdnum's stdnum.de.idnr and of the `steuerid` validators
        // built on ELSTER's handbook; the BZSt publishes no specimen IdNr.
        for v in ["36 574 261 809", "36574261809", "86095742719", "65929970489"] {
            assert!(de_steuer_id(v), "{v}");
        }
        // ISO 7064 MOD 11,10 detects every single-digit substitution.
        every_digit_change_fails(de_steuer_id, "36574261809");
        every_digit_change_fails(de_steuer_id, "86095742719");
        assert!(!de_steuer_id("36574261890"), "stdnum: wrong check digit");
        assert!(!de_steuer_id("36554266806"), "stdnum: more than one digit repeated");
        assert!(!de_steuer_id("02476291358"), "leading 0: an ELSTER test IdNr");
        assert!(!de_steuer_id("12345678903"), "no repeated digit");
        assert!(!de_steuer_id("11123456780"), "a digit three times in a row");
        assert!(!de_steuer_id("3657426180"), "ten digits");
    }

    #[test]
    fn fr_nir_checks_key_and_corsica() {
        // INSEE publishes no specimen NIR. python-stdnum stdnum.fr.nir's examples (born abroad:
        // department 99; Corsica 2A/2B), and the specimen in the forms of the French state's
        // Plateforme de l'inclusion.
        assert!(fr_nir("2 69 05 49 588 157 80"));
        for v in ["2 95 10 99 126 111 93", "295109912611193", "253072B07300470", "253072A07300443"] {
            assert!(fr_nir(v), "{v}");
        }
        every_digit_change_fails(fr_nir, "295109912611193");
        assert!(!fr_nir("295109912611199"), "stdnum: invalid key");
        assert!(!fr_nir("253072C07300443"), "no department 2C");
        assert!(!fr_nir("253072B07300443"), "2A's key on a 2B number");
        assert!(!fr_nir("395109912611143"), "sex digit 3 (key right for it)");
        assert!(!fr_nir("295139912611193"), "month 13");
        assert!(!fr_nir("29510991261119"), "14 characters");
    }

    #[test]
    fn fr_nir_accepts_insee_special_months_and_provisional_numbers() {
        fn with_key(first13: &str) -> String {
            let n: u64 = first13.parse().unwrap();
            format!("{first13}{:02}", 97 - n % 97)
        }
        for v in ["1852075123456", "2853175123456", "1855075123456", "7851275123456", "8850175123456"] {
            assert!(fr_nir(&with_key(v)), "{v}");
        }
        for v in ["1851375123456", "1852575123456", "1854575123456", "3850175123456", "1850100123456"] {
            assert!(!fr_nir(&with_key(v)), "{v}");
        }
    }

    #[test]
    fn es_nif_and_nie_letters() {
        // Ministerio del Interior's worked example: 12345678 mod 23 = 14, letter Z.
        assert!(es_nif("12345678Z") && es_nif("12.345.678-Z") && es_nif("12345678z"));
        // The DNI specimen card of the Policía Nacional: 99999999R.
        assert!(es_nif("99999999R"));
        every_digit_change_fails(es_nif, "12345678Z");
        assert!(!es_nif("12345678A") && !es_nif("1234567Z"));
        // NIE: X, Y, Z read as 0, 1, 2 (same page); stdnum.es.nie's example X2482300W.
        assert!(es_nie("X2482300W") && es_nie("x-2482300-w"));
        assert!(es_nie("Y1234567X") && es_nie("Z1234567R"));
        every_digit_change_fails(es_nie, "X2482300W");
        assert!(!es_nie("X2482300A") && !es_nie("W2482300W") && !es_nie("X248230W"));
    }

    #[test]
    fn it_codice_fiscale_check_letter_and_omocodia() {
        // python-stdnum stdnum.it.codicefiscale examples.
        assert!(it_codice_fiscale("RCCMNL83S18D969H"));
        assert!(it_codice_fiscale("CNTCHR83T41D969D"), "woman: day + 40");
        assert!(it_codice_fiscale("rccmnl83s18d969h"));
        every_digit_change_fails(it_codice_fiscale, "RCCMNL83S18D969H");
        assert!(!it_codice_fiscale("RCCMNL83S18D969"), "15 characters");
        assert!(!it_codice_fiscale("RCCMNL83S18D969A"), "wrong check letter");
        assert!(!it_codice_fiscale("RCCMNL83S72D969H"), "day 72 - 40 = 32");
        assert!(!it_codice_fiscale("RCCMNL83F18D969H"), "F is no month letter");
        // Omocodia: the last digit 9 becomes V, and the check letter follows.
        let base = "RCCMNL83S18D96V";
        let check = (b'A'..=b'Z').find(|&l| it_codice_fiscale(&format!("{base}{}", l as char))).unwrap();
        assert!(it_codice_fiscale(&format!("{base}{}", check as char)));
        assert!(!it_codice_fiscale(&format!("RCCMNL83S18D96W{}", check as char)), "W is no omocodia letter");
    }

    #[test]
    fn nl_bsn_elfproef() {
        // python-stdnum stdnum.nl.bsn's examples, and the test BSN 111222333 that Dutch
        // government test environments use.
        for v in ["111222333", "1112.22.333", "123456782", "111 222 333"] {
            assert!(nl_bsn(v), "{v}");
        }
        every_digit_change_fails(nl_bsn, "123456782");
        assert!(!nl_bsn("000000000"), "all zero passes 11 mod 11 but is no number");
        assert!(!nl_bsn("12345678"));
    }

    #[test]
    fn pl_pesel_weights_and_date() {
        // python-stdnum stdnum.pl.pesel examples: 1944-05-14; 2002-01-13 (month + 20).
        assert!(pl_pesel("44051401359"));
        assert!(pl_pesel("02211307589"));
        every_digit_change_fails(pl_pesel, "44051401359");
        assert!(!pl_pesel("44051401358"), "stdnum: wrong check digit");
        assert!(!pl_pesel("02381307589"), "stdnum: month 38 is no month");
        assert!(pl_pesel("02122401358"), "stdnum: 1902-12-24");
    }

    #[test]
    fn pl_pesel_rejects_centuries_without_living_holders() {
        fn with_check(first10: &str) -> String {
            let w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
            let s: u32 = first10.bytes().zip(w).map(|(b, w)| (b - b'0') as u32 * w).sum();
            format!("{first10}{}", (10 - s % 10) % 10)
        }
        assert!(pl_pesel(&with_check("8501150123")));
        assert!(!pl_pesel(&with_check("8581150123")), "1885");
        assert!(!pl_pesel(&with_check("8541150123")), "2185");
        assert!(!pl_pesel(&with_check("9922150123")), "2099-02-15: future");
    }

    #[test]
    fn se_personnummer_luhn_and_date() {
        // Skatteverket SKV 704's worked example (a man born 23 August 1964), and a number from
        // Skatteverket's published test personnummer (dataportal.se "Testpersonnummer").
        for v in ["640823-3234", "6408233234", "19640823-3234", "196408233234", "201701012393", "170101-2393"] {
            assert!(se_personnummer(v), "{v}");
        }
        every_digit_change_fails(se_personnummer, "640823-3234");
        // Samordningsnummer: day + 60 (SKV 707); 701063-2391 is Wikipedia's example.
        assert!(se_personnummer("701063-2391"));
        every_digit_change_fails(se_personnummer, "701063-2391");
        assert!(!se_personnummer("640832-3234"), "day 32");
        assert!(!se_personnummer("189001019802"), "born 1890: no living holder (a Skatteverket test number)");
        assert!(!se_personnummer("640823+3234"), "+ makes it 1864");
        assert!(se_personnummer("260823+3231"), "+: born 1926, a hundred years before 2026");
        assert!(!se_personnummer("64082332345"), "11 digits");
    }
}

//! Masking: what a report may show of a finding. Enough to recognise the kind of value and
//! find it again (`4111 **** **** 1111`, `j***@***.com`), never enough to read it.

/// A masked copy of a matched value.
pub fn mask(value: &str) -> String {
    let value = value.trim();
    if let Some((local, domain)) = value.rsplit_once('@') {
        let first = local.chars().next().map_or(String::new(), |c| c.to_string());
        let tld = domain.rsplit_once('.').map_or("", |(_, t)| t);
        return format!("{first}***@***.{tld}");
    }
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    let letters = value.chars().filter(|c| c.is_alphabetic()).count();
    let mut out = String::with_capacity(value.len());
    if digits >= letters {
        // Identifiers: long ones keep their first four and last four digits (the IIN and the
        // check digits, as card receipts do); shorter ones keep the last two.
        let (keep_head, keep_tail) = if digits >= 12 { (4, 4) } else { (0, 2) };
        let mut seen = 0;
        for c in value.chars() {
            if c.is_ascii_digit() {
                let keep = seen < keep_head || seen >= digits - keep_tail;
                out.push(if keep { c } else { '*' });
                seen += 1;
            } else if c.is_alphanumeric() {
                out.push('*');
            } else {
                out.push(c);
            }
        }
    } else {
        // Words: the first letter of each, the rest starred.
        let mut word_start = true;
        for c in value.chars() {
            if c.is_alphanumeric() {
                out.push(if word_start { c } else { '*' });
                word_start = false;
            } else {
                out.push(c);
                word_start = true;
            }
        }
    }
    if out.chars().count() > 48 {
        out = out.chars().take(47).collect::<String>() + "…";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn masks_cards_emails_ids_and_names() {
        assert_eq!(mask("4111 1111 1111 1111"), "4111 **** **** 1111");
        assert_eq!(mask("4111-1111-1111-1111"), "4111-****-****-1111");
        assert_eq!(mask("jane.doe@corp.example.co.uk"), "j***@***.uk");
        assert_eq!(mask("943 476 5919"), "*** *** **19");
        assert_eq!(mask("QQ 12 34 56 A"), "** ** ** 56 *");
        assert_eq!(mask("Ada Lovelace"), "A** L*******");
        assert_eq!(mask("GB82 WEST 1234 5698 7654 32"), "**82 **** 12** **** **54 32");
    }

    #[test]
    fn never_returns_the_value() {
        for v in ["4111111111111111", "someone@example.org", "999 123 4567", "Zoë Ångström", "12-34-56 12345678"] {
            assert_ne!(mask(v), v);
        }
    }
}

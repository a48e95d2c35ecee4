//! A column's generator, from its type, its name, the detection rules' column hints and what
//! its checks allow.

use super::*;

/// The generator of a detection entity that has one (values in the reserved test ranges).
pub(super) fn entity_generator(entity: &str) -> Option<&'static str> {
    Some(match entity {
        "email" => "email",
        "nhs_number" => "nhs_number",
        "ssn" => "ssn",
        "nino" => "nino",
        "card_number" => "card_number",
        "iban" => "iban",
        "ipv4" => "ipv4",
        "ipv6" => "ipv6",
        "postcode" => "postcode",
        "city" => "city",
        "street_address" => "street_address",
        _ => return None,
    })
}

/// The generator for a column that is not a foreign key: (`gen = …` with its options, more
/// options such as `max_length`).
pub(super) fn generator(
    t: &Table,
    c: &Column,
    ty: &Ty,
    e: &Cons,
    ordinal: bool,
    opts: &MapOptions<'_>,
    notes: &mut Vec<Note>,
) -> (String, Vec<String>) {
    let name = c.name.to_ascii_lowercase();
    let at = format!("{}.{}", t.name, c.name);
    let has = |words: &[&str]| words.iter().any(|w| name_has(&name, w));
    let more: Vec<String> = Vec::new();
    if ordinal {
        let listed: Option<Vec<String>> = match (&e.one_of, ty) {
            (Some(values), _) => Some(
                values
                    .iter()
                    .map(|v| match v {
                        Literal::Str(s) => quoted(s),
                        Literal::Num(n) => quoted(&num(*n)),
                    })
                    .collect(),
            ),
            (None, Ty::Enum(labels)) => Some(labels.iter().map(|l| quoted(l)).collect()),
            _ => None,
        };
        if let Some(values) = listed {
            return (format!("gen = \"choice\", values = [{}], pick = \"ordinal\"", values.join(", ")), more);
        }
        match ty {
            Ty::Date => return ("gen = \"date\", min = \"now-3y\", step = \"30d\"".into(), more),
            Ty::Timestamp => return ("gen = \"timestamp\", min = \"now-3y\", step = \"1d\"".into(), more),
            _ => {}
        }
        return ("gen = \"ordinal\"".into(), more);
    }
    // A list of allowed values wins over everything but keys (a boolean's `IN (0, 1)` says
    // nothing a boolean does not).
    if let (Some(values), false) = (&e.one_of, *ty == Ty::Bool) {
        let allowed: Vec<&Literal> = match ty {
            Ty::Enum(labels) | Ty::Set(labels) => {
                values.iter().filter(|v| matches!(v, Literal::Str(s) if labels.contains(s))).collect()
            }
            _ => values.iter().collect(),
        };
        let allowed: Vec<&Literal> = allowed.into_iter().filter(|v| !e.exclude.contains(v)).collect();
        return (choice(&at, &allowed, ty, opts, notes), more);
    }
    if let Some(p) = &e.pattern {
        let p = p.trim_start_matches('^').trim_end_matches('$');
        if e.unique {
            notes.push(Note { at: at.clone(), what: "unique and held to a pattern: values may repeat; review".into() });
        }
        if (opts.looks_personal)(p) {
            notes
                .push(Note { at: at.clone(), what: "a pattern check is withheld: it looks like personal data".into() });
        } else if !crate::schema::regex_generates(p) {
            notes.push(Note {
                at: at.clone(),
                what: "its pattern check cannot be generated from (a class of any byte, or anchors inside); review"
                    .into(),
            });
        } else {
            return (format!("gen = \"regex\", pattern = {}", quoted(p)), more);
        }
    }
    let text_max = match ty {
        Ty::Text { max, .. } => *max,
        _ => None,
    };
    let max_len = match (text_max, e.len_hi) {
        (Some(a), Some(b)) => Some((a as u64).min(b)),
        (a, b) => a.map(u64::from).or(b),
    };
    let gen = match ty {
        Ty::Int { min, max } => {
            let (lo, hi) = int_range(&name, e, *min, *max);
            if let Some(r) = relation(e, None, (&lo.to_string(), &hi.to_string())) {
                return (format!("gen = \"int\", {r}"), more);
            }
            if e.unique {
                if c.identity || (e.lo.is_none() && e.hi.is_none()) {
                    let start = lo.max(1);
                    format!("gen = \"sequence\", start = {start}")
                } else {
                    format!("gen = \"int\", min = {lo}, max = {hi}, unique = true")
                }
            } else if c.identity {
                format!("gen = \"sequence\", start = {}", lo.max(1))
            } else {
                format!("gen = \"int\", min = {lo}, max = {hi}")
            }
        }
        Ty::Decimal { precision, scale } => decimal(&name, e, *precision, *scale, &at, notes),
        Ty::Money => decimal(&name, e, 12, 2, &at, notes),
        Ty::Float => {
            let (lo, hi) = float_range(&name, e, -1e15, 1e15);
            format!("gen = \"float\", min = {}, max = {}, round = 4", num(lo), num(hi))
        }
        Ty::Bool => "gen = \"bool\"".into(),
        Ty::Date | Ty::Timestamp => {
            let g = if *ty == Ty::Date { "date" } else { "timestamp" };
            let (lo, hi) = time_range(t, &name, e, *ty == Ty::Date);
            format!("gen = \"{g}\", min = {}, max = {}", quoted(&lo), quoted(&hi))
        }
        Ty::Time => match e.half {
            None => "gen = \"time\", min = \"07:00:00\", max = \"22:00:00\"".into(),
            Some(Half::Early) => "gen = \"time\", min = \"07:00:00\", max = \"12:59:59\"".into(),
            Some(Half::Late) => "gen = \"time\", min = \"13:00:00\", max = \"22:00:00\"".into(),
        },
        Ty::Interval => "gen = \"regex\", pattern = \"[1-9][0-9]? (days|hours|minutes)\"".into(),
        Ty::Uuid => "gen = \"uuid\"".into(),
        Ty::Json => {
            "gen = \"regex\", pattern = '\\{\"ref\": [1-9][0-9]{0,4}, \"tag\": \"(alpha|beta|gamma)\"\\}'".into()
        }
        Ty::Bytes => match opts.dialect {
            // Every byte with a letter in it: no run of digits that reads as a number.
            Dialect::Postgres => "gen = \"regex\", pattern = '\\\\x([a-f][0-9a-f]){4,16}'".into(),
            _ => "gen = \"regex\", pattern = \"([a-f][0-9a-f]){4,16}\"".into(),
        },
        Ty::Inet => "gen = \"ipv4\"".into(),
        Ty::Cidr => "gen = \"choice\", values = [\"192.0.2.0/24\", \"198.51.100.0/24\", \"203.0.113.0/24\"]".into(),
        Ty::Mac => "gen = \"regex\", pattern = \"00:00:5e:00:53:[0-9a-f]{2}\"".into(),
        Ty::Array(inner) => match &**inner {
            Ty::Int { .. } | Ty::Decimal { .. } | Ty::Float => {
                "gen = \"regex\", pattern = '\\{[1-9][0-9]{0,2}(,[1-9][0-9]{0,2}){0,3}\\}'".into()
            }
            Ty::Text { .. } => "gen = \"regex\", pattern = '\\{[a-z]{3,8}(,[a-z]{3,8}){0,3}\\}'".into(),
            _ => {
                notes.push(Note { at: at.clone(), what: format!("an array of {inner:?}: generated empty") });
                "gen = \"choice\", values = [\"{}\"]".into()
            }
        },
        Ty::Enum(labels) | Ty::Set(labels) => {
            let all: Vec<Literal> =
                labels.iter().map(|l| Literal::Str(l.clone())).filter(|l| !e.exclude.contains(l)).collect();
            let refs: Vec<&Literal> = all.iter().collect();
            choice(&at, &refs, ty, opts, notes)
        }
        Ty::Year => "gen = \"int\", min = 1990, max = 2030".into(),
        Ty::TsVector => "gen = \"lorem\", words = [1, 6]".into(),
        Ty::Other(what) => {
            notes.push(Note {
                at: at.clone(),
                what: if c.nullable {
                    format!("type `{what}` cannot be generated: left null")
                } else {
                    format!("type `{what}` cannot be generated: text is written; review")
                },
            });
            // Nullable: left null (the caller sees `Ty::Other`); required: text, for review.
            return ("gen = \"lorem\", words = [1, 2]".into(), more);
        }
        Ty::Text { max, fixed } => {
            return text(t, c, &name, *max, *fixed, max_len, e, has, &at, opts, notes);
        }
    };
    (gen, more)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn text(
    t: &Table,
    c: &Column,
    name: &str,
    declared: Option<u32>,
    fixed: bool,
    max_len: Option<u64>,
    e: &Cons,
    has: impl Fn(&[&str]) -> bool,
    at: &str,
    opts: &MapOptions<'_>,
    notes: &mut Vec<Note>,
) -> (String, Vec<String>) {
    let mut more = Vec::new();
    let limit = max_len.unwrap_or(10_000) as usize;
    let entity = (opts.hint)(&c.name);
    let by_entity = entity.as_deref().and_then(entity_generator);
    if e.unique {
        if has(&["email"]) && limit >= 40 {
            return ("gen = \"email\", unique = true".into(), more);
        }
        // Identifiers in reserved ranges can be unique (a permutation of the range).
        let longest = match by_entity {
            Some("ssn") => 11,
            Some("nhs_number") => 12,
            Some("nino") => 13,
            Some("ipv4") => 15,
            Some("card_number") => 19,
            Some("iban") => 34,
            Some("ipv6") => 39,
            Some("email") => 40,
            _ => usize::MAX,
        };
        if let (Some(g), true) = (by_entity, limit >= longest) {
            return (format!("gen = \"{g}\", unique = true"), more);
        }
        // `char(36)` keys are uuids kept as text (MySQL's `DEFAULT (UUID())`).
        if limit == 36 || (limit >= 36 && has(&["uuid", "guid"])) {
            return ("gen = \"uuid\"".into(), more);
        }
        // Fixed text around the row number: unique by construction.
        let digits = 7;
        let prefix: String = if has(&["username", "login", "handle"]) {
            "user".into()
        } else if has(&["sku"]) {
            "SKU-".into()
        } else {
            let p: String = c.name.chars().filter(|ch| ch.is_ascii_alphanumeric()).take(8).collect();
            format!("{}-", p.to_ascii_uppercase())
        };
        let min_len = e.len_lo.unwrap_or(0) as usize;
        if limit >= prefix.len() + digits {
            let width = min_len.saturating_sub(prefix.len()).max(6);
            return (format!("gen = \"template\", template = {}", quoted(&format!("{prefix}{{row:0{width}}}"))), more);
        }
        let short: String =
            c.name.chars().filter(|ch| ch.is_ascii_alphabetic()).take(3).collect::<String>().to_ascii_uppercase();
        if !short.is_empty() && limit >= short.len() + 1 + 6 {
            let width = (limit - short.len() - 1).min(8).max(min_len.saturating_sub(short.len() + 1));
            return (format!("gen = \"template\", template = \"{short}-{{row:0{width}}}\""), more);
        }
        // Digits only, as many as fit.
        let width = limit.clamp(1, 12).max(min_len);
        let cap = 10u64.saturating_pow(width as u32);
        if cap < 1_000_000 {
            notes.push(Note {
                at: at.to_string(),
                what: format!("unique text of at most {limit} characters: numbered {{row:0{width}}}, so at most {cap} rows before keys repeat"),
            });
        }
        return (format!("gen = \"template\", template = \"{{row:0{width}}}\""), more);
    }
    let phone_region = if opts.locale.eq_ignore_ascii_case("en_GB") { "GB" } else { "US" };
    let person_table = [
        "customer",
        "employee",
        "patient",
        "agent",
        "user",
        "staff",
        "contact",
        "person",
        "people",
        "member",
        "doctor",
        "clinician",
        "account_holder",
        "requester",
    ]
    .iter()
    .any(|w| t.name.to_ascii_lowercase().contains(w));
    let gen: String = if e.len_lo.is_some() || (fixed && declared.is_some_and(|n| n <= 12)) {
        // Codes: exactly as long as the type or check says.
        let lo = e.len_lo.unwrap_or(if fixed { limit as u64 } else { 1 }).max(1);
        let hi = (limit as u64).max(lo);
        let class = if has(&["country", "currency", "code", "iso", "state"]) { "[A-Z]" } else { "[A-Z0-9]" };
        if lo == hi {
            format!("gen = \"regex\", pattern = \"{class}{{{lo}}}\"")
        } else {
            format!("gen = \"regex\", pattern = \"{class}{{{lo},{}}}\"", hi.min(lo + 20))
        }
    } else if let Some(g) = by_entity.filter(|g| !matches!(*g, "email" | "postcode" | "city" | "street_address")) {
        // The detection rules' column hints: the identifier in its reserved range.
        format!("gen = \"{g}\"")
    } else if has(&["email"]) {
        "gen = \"email\"".into()
    } else if has(&["phone", "mobile", "telephone", "tel", "fax"]) {
        format!("gen = \"phone\", region = \"{phone_region}\"")
    } else if has(&["first_name", "firstname", "given_name", "forename"]) {
        "gen = \"first_name\"".into()
    } else if has(&["last_name", "lastname", "surname", "family_name"]) {
        "gen = \"last_name\"".into()
    } else if has(&["full_name", "display_name", "contact_name"]) || (name == "name" && person_table) {
        "gen = \"full_name\"".into()
    } else if has(&["company", "employer", "organisation", "organization", "supplier_name", "vendor"]) {
        "gen = \"company\"".into()
    } else if has(&["job_title"]) || (name == "title" && person_table) {
        "gen = \"job_title\"".into()
    } else if has(&["city", "town"]) {
        "gen = \"city\"".into()
    } else if has(&["postcode", "postal_code", "zip", "zipcode"]) {
        "gen = \"postcode\"".into()
    } else if has(&["street", "address_line1", "address1", "address_line_1", "line1"]) || name == "address" {
        "gen = \"street_address\"".into()
    } else if has(&["country_code", "country_iso"]) && limit >= 2 {
        "gen = \"country_code\"".into()
    } else if has(&["country"]) {
        "gen = \"country\"".into()
    } else if has(&["state", "county", "region", "province"]) && !has(&["status"]) {
        "gen = \"state\"".into()
    } else if has(&["url", "website", "homepage", "link"]) {
        format!("gen = \"template\", template = \"https://example.com/{}/{{row}}\"", t.name)
    } else if has(&["ip", "ip_address", "ipaddress"]) {
        "gen = \"ipv4\"".into()
    } else if has(&["password", "hash", "token", "secret", "digest", "checksum"]) {
        format!("gen = \"regex\", pattern = \"([a-f][0-9a-f]){{{}}}\"", (limit / 2).clamp(1, 32))
    } else if has(&["currency"]) && limit >= 3 {
        "gen = \"choice\", values = [\"GBP\", \"EUR\", \"USD\"]".into()
    } else if has(&["status", "state"]) {
        "gen = \"choice\", values = [\"active\", \"pending\", \"closed\"]".into()
    } else if has(&[
        "description",
        "notes",
        "note",
        "comment",
        "body",
        "bio",
        "summary",
        "message",
        "content",
        "details",
        "text",
        "reason",
    ]) {
        "gen = \"lorem\", words = [4, 24]".into()
    } else if has(&["name", "title", "label", "subject", "headline"]) {
        "gen = \"lorem\", words = [1, 4]".into()
    } else {
        "gen = \"lorem\", words = [1, 3]".into()
    };
    // Regexes are written to the length already; an email is cut only where it could be long.
    if let Some(n) = max_len {
        let email = gen.contains("\"email\"");
        if (email && n < 64) || (!email && !gen.contains("\"regex\"") && !gen.contains("\"uuid\"")) {
            more.push(format!("max_length = {n}"));
        }
    }
    (gen, more)
}

/// Whether `name` contains `word` as one of its `_`-separated words (or is it).
pub(super) fn name_has(name: &str, word: &str) -> bool {
    if name == word {
        return true;
    }
    if word.contains('_') {
        return name.contains(word);
    }
    name.split(|c: char| c == '_' || !c.is_ascii_alphanumeric()).any(|w| w == word)
}

pub(super) fn choice(at: &str, values: &[&Literal], ty: &Ty, opts: &MapOptions<'_>, notes: &mut Vec<Note>) -> String {
    let mut kept: Vec<String> = Vec::new();
    let mut withheld = 0;
    let numeric_col = matches!(ty, Ty::Int { .. } | Ty::Decimal { .. } | Ty::Float | Ty::Money);
    for v in values {
        match v {
            Literal::Str(s) if (opts.looks_personal)(s) => withheld += 1,
            Literal::Str(s) if numeric_col => match s.parse::<f64>() {
                Ok(n) => kept.push(num(n)),
                Err(_) => withheld += 1,
            },
            Literal::Str(s) => kept.push(quoted(s)),
            Literal::Num(n) if numeric_col => kept.push(num(*n)),
            Literal::Num(n) => kept.push(quoted(&num(*n))),
        }
    }
    if withheld > 0 {
        notes.push(Note {
            at: at.to_string(),
            what: format!("{withheld} allowed values withheld: they look like personal data or do not fit the type"),
        });
    }
    if kept.is_empty() {
        notes.push(Note { at: at.to_string(), what: "no allowed value can be written; review".into() });
        return "gen = \"lorem\", words = [1, 1]".into();
    }
    // A column of integers takes integer choices only.
    if matches!(ty, Ty::Int { .. }) {
        kept = kept.into_iter().map(|k| k.trim_end_matches(".0").to_string()).collect();
    }
    format!("gen = \"choice\", values = [{}]", kept.join(", "))
}

/// `min = ["other", lo]`-style bounds for a column compared with another: the column's own
/// range (`fixed`) still holds.
pub(super) fn relation(e: &Cons, unit: Option<&str>, fixed: (&str, &str)) -> Option<String> {
    if e.rel.is_empty() {
        return None;
    }
    let step = |strict: bool, sign: char| match (strict, unit) {
        (false, _) => String::new(),
        (true, None) => format!("{sign}1"),
        (true, Some(u)) => format!("{sign}{u}"),
    };
    let mut min = None;
    let mut max = None;
    for (op, other) in &e.rel {
        match op {
            Op::Gt | Op::Ge => min = Some(format!("{other}{}", step(*op == Op::Gt, '+'))),
            Op::Lt | Op::Le => max = Some(format!("{other}{}", step(*op == Op::Lt, '-'))),
            Op::Eq => {
                min = Some(other.clone());
                max = Some(other.clone());
            }
            Op::Ne => {}
        }
    }
    if min.is_none() && max.is_none() {
        return None;
    }
    let end = |col: Option<String>, fixed: &str| match col {
        Some(c) => format!("[{}, {fixed}]", quoted(&c)),
        None => fixed.to_string(),
    };
    Some(format!("min = {}, max = {}", end(min, fixed.0), end(max, fixed.1)))
}

pub(super) fn int_range(name: &str, e: &Cons, tmin: i64, tmax: i64) -> (i64, i64) {
    let lo = e.lo.map_or(tmin as f64, |(v, strict)| if strict { v.floor() + 1.0 } else { v.ceil() });
    let hi = e.hi.map_or(tmax as f64, |(v, strict)| if strict { v.ceil() - 1.0 } else { v.floor() });
    let (lo, hi) = (lo.max(tmin as f64), hi.min(tmax as f64));
    let hint: (f64, f64) = match () {
        _ if name_has(name, "age") => (18.0, 90.0),
        _ if name_has(name, "year") => (1990.0, 2030.0),
        _ if ["qty", "quantity", "units"].iter().any(|w| name_has(name, w)) || name.starts_with("quantity") => {
            (1.0, 20.0)
        }
        _ if ["priority", "level", "rank", "rating", "score", "stars", "severity"]
            .iter()
            .any(|w| name_has(name, w)) =>
        {
            (1.0, 5.0)
        }
        _ if ["percent", "pct", "percentage"].iter().any(|w| name_has(name, w)) => (0.0, 100.0),
        _ if ["minutes", "duration", "mins"].iter().any(|w| name_has(name, w)) => (1.0, 480.0),
        _ => (1.0, 1000.0),
    };
    clamp_hint(lo, hi, hint)
}

pub(super) fn clamp_hint(lo: f64, hi: f64, (a, b): (f64, f64)) -> (i64, i64) {
    let (l, h) = if a.max(lo) <= b.min(hi) {
        (a.max(lo), b.min(hi))
    } else if lo > b {
        (lo, hi.min(lo + 1000.0))
    } else {
        (lo.max(hi - 1000.0), hi)
    };
    (l as i64, h.max(l) as i64)
}

pub(super) fn float_range(name: &str, e: &Cons, tmin: f64, tmax: f64) -> (f64, f64) {
    let lo = e.lo.map_or(tmin, |(v, strict)| if strict { v + 1e-3 } else { v });
    let hi = e.hi.map_or(tmax, |(v, strict)| if strict { v - 1e-3 } else { v });
    let hint: (f64, f64) = if ["lat", "latitude"].iter().any(|w| name_has(name, w)) {
        (-60.0, 70.0)
    } else if ["lon", "lng", "longitude"].iter().any(|w| name_has(name, w)) {
        (-170.0, 170.0)
    } else {
        (0.0, 1000.0)
    };
    let (l, h) = if hint.0.max(lo) <= hint.1.min(hi) {
        (hint.0.max(lo), hint.1.min(hi))
    } else {
        (lo.max(hi - 1000.0), hi.min(lo + 1000.0))
    };
    (l, h.max(l))
}

pub(super) fn decimal(name: &str, e: &Cons, precision: u32, scale: u32, at: &str, notes: &mut Vec<Note>) -> String {
    let s = if scale > 9 {
        notes.push(Note { at: at.to_string(), what: format!("scale {scale} generated at 9 digits") });
        9
    } else {
        scale
    };
    let unit = 10f64.powi(-(s as i32));

    let cap = (10f64.powi(precision.saturating_sub(scale).min(15) as i32) - unit).max(0.0);
    let lo = e.lo.map_or(-cap, |(v, strict)| if strict { v + unit } else { v }).max(-cap);
    let hi = e.hi.map_or(cap, |(v, strict)| if strict { v - unit } else { v }).min(cap);
    let hint: (f64, f64) = if ["salary", "wage", "income"].iter().any(|w| name_has(name, w)) {
        (20_000.0, 150_000.0)
    } else if ["rate", "pct", "percent", "ratio", "discount"].iter().any(|w| name_has(name, w)) {
        (0.0, 50.0)
    } else {
        (1.0, 1000.0)
    };
    let (l, h) = if hint.0.max(lo) <= hint.1.min(hi) {
        (hint.0.max(lo), hint.1.min(hi))
    } else {
        (lo.max(hi - 1000.0), hi.min(lo + 1000.0))
    };
    let round = |x: f64| (x / unit).round() * unit;
    let (l, h) = (round(l), round(h.max(l)));
    if let Some(r) = relation(e, Some(&num(unit)), (&num(l), &num(h))) {
        return format!("gen = \"decimal\", scale = {s}, {r}");
    }
    format!("gen = \"decimal\", scale = {s}, min = {}, max = {}", num(l), num(h))
}

pub(super) fn time_range(t: &Table, name: &str, e: &Cons, date: bool) -> (String, String) {
    let step = if date { "1d" } else { "1m" };
    let mut lo: Option<String> = None;
    let mut hi: Option<String> = None;
    for (op, other) in &e.rel {
        match op {
            Op::Gt => lo = Some(format!("{other}+{step}")),
            Op::Ge => lo = Some(other.clone()),
            Op::Lt => hi = Some(format!("{other}-{step}")),
            Op::Le => hi = Some(other.clone()),
            Op::Eq => {
                lo = Some(other.clone());
                hi = Some(other.clone());
            }
            Op::Ne => {}
        }
    }
    let fixed = |v: &Option<String>, strict: bool, sign: char| match v {
        None => format!("now{}", if strict { format!("{sign}{step}") } else { String::new() }),
        Some(s) => format!("{s}{}", if strict { format!("{sign}{step}") } else { String::new() }),
    };
    if lo.is_none() {
        if let Some((v, strict)) = &e.time_lo {
            lo = Some(fixed(v, *strict, '+'));
        }
    }
    if hi.is_none() {
        if let Some((v, strict)) = &e.time_hi {
            hi = Some(fixed(v, *strict, '-'));
        }
    }
    let birth = ["birth", "dob", "born"].iter().any(|w| name.contains(w));
    let future =
        ["expires", "expiry", "due", "until", "ends", "end", "deadline", "scheduled"].iter().any(|w| name_has(name, w));
    let updated =
        ["updated_at", "modified_at", "changed_at"].contains(&name) && t.columns.iter().any(|c| c.name == "created_at");
    match (lo, hi) {
        (Some(l), Some(h)) => (l, h),
        (Some(l), None) => {
            let h = if l.starts_with(|c: char| c.is_ascii_alphabetic()) && !l.starts_with("now") {
                format!("{}+30d", l.split(['+', '-']).next().unwrap_or(&l))
            } else if l.starts_with("now") {
                "now+1y".into()
            } else {
                format!("{l}+1y")
            };
            (l, h)
        }
        (None, Some(h)) => {
            let l = if birth {
                "1940-01-01".into()
            } else if h.starts_with("now") {
                "now-3y".into()
            } else {
                format!("{h}-3y")
            };
            (l, h)
        }
        (None, None) if birth => ("1940-01-01".into(), "2006-12-31".into()),
        (None, None) if updated => ("created_at".into(), "now".into()),
        (None, None) if future => ("now".into(), "now+1y".into()),
        (None, None) => ("now-3y".into(), "now".into()),
    }
}

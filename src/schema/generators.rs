//! Generators: each `gen` name with its options, built into a column generator.

use crate::batch::{DataType, Values};
use crate::error::Error;
use crate::generate::column::Generate;
use crate::generate::gen::identifier::IdentifierGen;
use crate::generate::gen::numeric::{
    BetweenGen, BoolGen, DecimalGen, Dist, FloatGen, IntGen, NumBound, Numeric, Sequence,
};
use crate::generate::gen::person::{Field, PersonGen};
use crate::generate::gen::relation::{CopyGen, OrdinalGen};
use crate::generate::gen::temporal::{Bound, ColRef, TemporalGen, TimeGen, Unit};
use crate::generate::gen::text::{is_reserved_domain, Choice, EmailGen, Lorem, Part, RegexGen, Template, UuidGen};
use crate::generate::permute::Permutation;
use crate::generate::rng::Key;
use crate::reserved::{Kind, Space};
use crate::temporal::parse_time;

use super::compile::{resolve_locale, Built, Compiler, GENERATORS};
use super::value::{literal, literal_text, parse_range_end, Base};
use crate::toml_cursor::{Node, TableNode};

impl<'a, 'i> Compiler<'a, 'i> {
    pub(super) fn build(
        &mut self,
        t: usize,
        at: &Node<'_, '_>,
        gen: &str,
        opts: &Opts<'_, '_, '_>,
        key: Key,
        unique: bool,
    ) -> Result<Built, Error> {
        let simple = |g: Box<dyn Generate>, dt: DataType, describe: String| Built {
            generator: g,
            dtype: dt,
            deps: Vec::new(),
            unique: None,
            inherent: false,
            describe,
        };
        // Only the generators that draw from dictionaries take a `locale`.
        let uses_locale = Field::parse(gen).is_some() || matches!(gen, "email" | "lorem");
        let locale = match if uses_locale { opts.get("locale") } else { None } {
            Some(n) => resolve_locale(&n)?,
            None => self.tables[t].locale,
        };
        if let Some(field) = Field::parse(gen) {
            return Ok(simple(
                Box::new(PersonGen { field, locale }),
                DataType::Utf8,
                format!("{gen} ({})", locale.code),
            ));
        }
        let built = match gen {
            "sequence" => {
                let start = opt_i64(opts, "start")?.unwrap_or(1);
                let step = opt_i64(opts, "step")?.unwrap_or(1);
                if step == 0 {
                    return Err(opts.get("step").unwrap().error("`step` must not be 0"));
                }
                Built {
                    unique: Some(None),
                    inherent: true,
                    ..simple(Box::new(Sequence { start, step }), DataType::Int64, format!("sequence from {start}"))
                }
            }
            "int" | "decimal" if is_column_bound(opts) => self.between(t, opts, at, gen == "decimal", unique)?,
            "int" => {
                let numeric = numeric(opts, at)?;
                match numeric.dist {
                    Dist::Uniform { min, max } => {
                        let (lo, hi) = (min as i64, max as i64);
                        if lo as f64 != min || hi as f64 != max {
                            return Err(at.error("`min` and `max` of an int must be integers"));
                        }
                        let span = (hi as i128 - lo as i128 + 1) as u128;
                        if unique {
                            let cap = u64::try_from(span).unwrap_or(u64::MAX);
                            let perm = Permutation::new(key, cap);
                            Built {
                                unique: Some(Some(cap)),
                                ..simple(
                                    Box::new(IntGen::Unique { min: lo, perm }),
                                    DataType::Int64,
                                    format!("unique int {lo}..={hi}"),
                                )
                            }
                        } else {
                            simple(
                                Box::new(IntGen::Uniform { min: lo, max: hi }),
                                DataType::Int64,
                                format!("int {lo}..={hi}"),
                            )
                        }
                    }
                    _ => simple(Box::new(IntGen::Shaped(numeric)), DataType::Int64, format!("int {:?}", numeric.dist)),
                }
            }
            "float" => {
                let numeric = numeric(opts, at)?;
                let round = opt_u64(opts, "round")?.map(|r| r.min(15) as u8);
                simple(Box::new(FloatGen { numeric, round }), DataType::Float64, format!("float {:?}", numeric.dist))
            }
            "decimal" => {
                let numeric = numeric(opts, at)?;
                let scale = opt_u64(opts, "scale")?.unwrap_or(2);
                if scale > 9 {
                    return Err(opts.get("scale").unwrap().error("`scale` must be between 0 and 9"));
                }
                let scale = scale as u8;
                let limit = 9.2e18 / 10f64.powi(scale as i32);
                if numeric.min.is_some_and(|m| m.abs() > limit) || numeric.max.is_some_and(|m| m.abs() > limit) {
                    return Err(at.error("decimal bounds do not fit in 18 digits at this scale"));
                }
                simple(
                    Box::new(DecimalGen { numeric, scale }),
                    DataType::Decimal { scale },
                    format!("decimal({scale}) {:?}", numeric.dist),
                )
            }
            "bool" => {
                let p = opts.get("p").map(|n| n.probability()).transpose()?.unwrap_or(0.5);
                simple(Box::new(BoolGen { p }), DataType::Bool, format!("bool p={p}"))
            }
            "date" | "timestamp" => {
                let unit = if gen == "date" { Unit::Date } else { Unit::Timestamp };
                let mut deps = Vec::new();
                let min = self.bound(t, opts, "min", "now-1y", &mut deps)?;
                let max = self.bound(t, opts, "max", "now", &mut deps)?;
                if let (Bound::Fixed(a), Bound::Fixed(b)) = (min, max) {
                    if a > b {
                        return Err(at.error("`min` is after `max`"));
                    }
                }
                let dt = if gen == "date" { DataType::Date } else { DataType::Timestamp };
                let step = match opts.get("step") {
                    None => None,
                    Some(n) => {
                        if self.tables[t].per.is_none() {
                            return Err(n.error("`step` spaces the children of one parent row; it needs a table generated `per` a parent"));
                        }
                        let text = n.str()?;
                        let off = match parse_range_end(&format!("now+{text}")) {
                            Ok((Base::Now, off)) if off != Default::default() => off,
                            _ => {
                                return Err(
                                    n.error(format!("`{text}` is not a step such as \"30d\", \"1mo\" or \"12h\""))
                                )
                            }
                        };
                        if unit == Unit::Date && off.micros % crate::temporal::MICROS_PER_DAY != 0 {
                            return Err(n.error("a date's step is whole days, weeks, months or years"));
                        }
                        Some(off)
                    }
                };
                Built { deps, ..simple(Box::new(TemporalGen { unit, min, max, step }), dt, gen.to_string()) }
            }
            "time" => {
                let get = |k: &'static str, default: &str| -> Result<i64, Error> {
                    match opts.get(k) {
                        None => Ok(parse_time(default).expect("default time parses")),
                        Some(n) => {
                            let text = match n.value() {
                                toml::de::DeValue::Datetime(d) => d.to_string(),
                                _ => n.str()?.to_string(),
                            };
                            parse_time(&text).ok_or_else(|| n.error("expected a time \"HH:MM[:SS]\""))
                        }
                    }
                };
                let (min, max) = (get("min", "00:00:00")?, get("max", "23:59:59")?);
                if min > max {
                    return Err(at.error("`min` is after `max`"));
                }
                simple(Box::new(TimeGen { min, max }), DataType::Time, "time".into())
            }
            "choice" => self.choice(t, opts, at)?,
            "regex" => {
                let p = opts.require("pattern", at)?;
                let pattern = p.str()?;
                let max_repeat = opt_u64(opts, "max_repeat")?.unwrap_or(8) as u32;
                let hir =
                    regex_syntax::ParserBuilder::new().unicode(false).build().parse(pattern).map_err(|e| {
                        p.error(format!("invalid regex: {}", e.to_string().lines().last().unwrap_or("")))
                    })?;
                let mut texts = Vec::new();
                fixed_text(&hir, &mut String::new(), &mut texts);
                for text in &texts {
                    self.note_literal(t, None, "regex text", p.line(), text);
                }
                let regex = rand_regex::Regex::with_hir(hir, max_repeat)
                    .map_err(|e| p.error(format!("cannot generate from this regex: {e}")))?;
                simple(Box::new(RegexGen { regex }), DataType::Utf8, format!("regex /{pattern}/"))
            }
            "uuid" => Built {
                unique: Some(None),
                inherent: true,
                ..simple(Box::new(UuidGen::new(key)), DataType::Utf8, "uuid".into())
            },
            "lorem" => {
                let (min, max) = match opts.get("words") {
                    None => (3, 12),
                    Some(n) => {
                        let items = n.array()?;
                        if items.len() != 2 {
                            return Err(n.error("`words` is [min, max]"));
                        }
                        (items[0].u64()?, items[1].u64()?)
                    }
                };
                if min > max || max > 10_000 {
                    return Err(opts.get("words").unwrap().error("`words` must be [min, max] with min ≤ max ≤ 10000"));
                }
                simple(
                    Box::new(Lorem { words: locale.lorem_words(), min: min as u32, max: max as u32 }),
                    DataType::Utf8,
                    format!("lorem {min}..={max} words"),
                )
            }
            "template" => {
                let tn = opts.require("template", at)?;
                let text = tn.str()?;
                let (parts, deps) = self.template(t, &tn, text)?;
                for part in &parts {
                    if let Part::Text(fixed) = part {
                        self.note_literal(t, None, "template text", tn.line(), fixed);
                    }
                }
                // Unique by construction only as fixed text around one {row}: any other
                // placeholder could run into the number ("x1" + "1" = "x" + "11").
                let rows = parts.iter().filter(|p| matches!(p, Part::Row { .. })).count();
                let has_row = rows == 1 && parts.iter().all(|p| matches!(p, Part::Row { .. } | Part::Text(_)));
                if unique && !has_row {
                    return Err(tn.error("a unique template is fixed text around one {row}, e.g. \"SKU-{row:06}\"; other placeholders could make two rows equal"));
                }
                Built {
                    generator: Box::new(Template { parts, null_if_any_null: false }),
                    dtype: DataType::Utf8,
                    deps,
                    unique: has_row.then_some(None),
                    inherent: false,
                    describe: format!("template \"{text}\""),
                }
            }
            "copy" => {
                let f = opts.require("from", at)?;
                let (from, dt) = self.column_ref(t, &f, f.str()?)?;
                Built { deps: vec![from], ..simple(Box::new(CopyGen { from }), dt, format!("copy of {}", f.str()?)) }
            }
            "ordinal" => {
                if self.tables[t].per.is_none() {
                    return Err(at.error(
                        "`ordinal` numbers the children of a parent row; it needs a table generated `per` a parent",
                    ));
                }
                let start = opt_i64(opts, "start")?.unwrap_or(1);
                simple(Box::new(OrdinalGen { start }), DataType::Int64, "ordinal".into())
            }
            "email" => {
                let mut deps = Vec::new();
                if let Some(f) = opts.get("from") {
                    for item in f.array()? {
                        let (c, _) = self.column_ref(t, &item, item.str()?)?;
                        deps.push(c);
                    }
                }
                let domains = match opts.get("domain") {
                    None => vec!["example.com".to_string()],
                    Some(d) if d.is_array() => {
                        d.array()?.iter().map(|n| n.str().map(str::to_string)).collect::<Result<_, _>>()?
                    }
                    Some(d) => vec![d.str()?.to_string()],
                };
                for d in &domains {
                    if !is_reserved_domain(d) {
                        return Err(opts.get("domain").unwrap().error(format!(
                            "`{d}` is not a reserved domain; synthetic emails use example.com, example.net, example.org (or their subdomains), *.example, *.test, *.invalid or localhost (RFC 2606, RFC 6761)"
                        )));
                    }
                }
                Built {
                    generator: Box::new(EmailGen { from: deps.clone(), domains, unique, locale }),
                    dtype: DataType::Utf8,
                    deps,
                    unique: Some(None),
                    inherent: false,
                    describe: "email (reserved domain)".into(),
                }
            }
            "phone" | "nhs_number" | "ssn" | "nino" | "card_number" | "iban" | "ipv4" | "ipv6" => {
                let kind = if gen == "phone" {
                    match opts.get("region") {
                        None => Kind::PhoneGb,
                        Some(n) => match n.str()?.to_ascii_uppercase().as_str() {
                            "GB" | "UK" => Kind::PhoneGb,
                            "US" => Kind::PhoneUs,
                            other => return Err(n.error(format!("unknown phone region `{other}`; valid: GB, US"))),
                        },
                    }
                } else {
                    Kind::parse(gen).expect("listed identifier kinds parse")
                };
                let format = opts.get("format").map(|n| n.str().map(str::to_string)).transpose()?;
                let space = if kind == Kind::Iban {
                    let country = opts.get("country").map(|n| n.str().map(str::to_string)).transpose()?;
                    let print = match format.as_deref().map(str::to_ascii_lowercase).as_deref() {
                        None | Some("compact") => false,
                        Some("print") => true,
                        Some(other) => {
                            return Err(opts
                                .get("format")
                                .unwrap()
                                .error(format!("unknown format `{other}` for iban; valid formats: compact, print")))
                        }
                    };
                    Space::new_iban(country.as_deref().unwrap_or("DE"), print)
                } else {
                    Space::new(kind, format.as_deref())
                }
                .map_err(|e| {
                    opts.get("format").or_else(|| opts.get("country")).unwrap_or_else(|| at.clone()).error(e)
                })?;
                let size = space.size();
                let perm = unique.then(|| Permutation::new(key, size));
                Built {
                    unique: Some(Some(size)),
                    ..simple(
                        Box::new(IdentifierGen { space, unique: perm }),
                        DataType::Utf8,
                        format!("{gen} (reserved range, {size} values)"),
                    )
                }
            }
            other => {
                return Err(at.error(format!("unknown generator `{other}`; generators: {}", GENERATORS.join(", "))));
            }
        };
        Ok(built)
    }

    /// `int` or `decimal` with `min` or `max` naming a column (`min = "min_salary"`,
    /// `max = "quantity_ordered"`, `min = "parent.price+1"`): uniform between the two ends.
    fn between(
        &mut self,
        t: usize,
        opts: &Opts<'_, '_, '_>,
        at: &Node<'_, '_>,
        decimal: bool,
        unique: bool,
    ) -> Result<Built, Error> {
        if unique {
            return Err(at.error("a number bounded by another column cannot be unique"));
        }
        for k in ["dist", "mean", "sd", "round"] {
            if let Some(n) = opts.get(k) {
                return Err(n.error(format!(
                    "`{k}` does not go with a `min` or `max` that names a column (values are uniform between the two)"
                )));
            }
        }
        let scale = if decimal {
            let s = opt_u64(opts, "scale")?.unwrap_or(2);
            if s > 9 {
                return Err(opts.get("scale").unwrap().error("`scale` must be between 0 and 9"));
            }
            Some(s as u8)
        } else {
            None
        };
        let unit = 10f64.powi(scale.unwrap_or(0) as i32);
        let mut deps = Vec::new();
        let mut one = |n: Node<'_, '_>| -> Result<NumBound, Error> {
            if !n.is_str() {
                let x = n.f64()?;
                return Ok(NumBound::Fixed((x * unit).round() as i64));
            }
            let text = n.str()?.replace(' ', "");
            // `column`, `column+N` or `column-N`.
            let split = text.char_indices().skip(1).find(|(_, c)| *c == '+' || *c == '-').map(|(i, _)| i);
            let (col, off) = match split {
                Some(i) => {
                    let off: f64 = text[i..]
                        .parse()
                        .map_err(|_| n.error(format!("`{text}` is not `column`, `column+N` or `column-N`")))?;
                    (&text[..i], off)
                }
                None => (text.as_str(), 0.0),
            };
            let (r, dt) = self.column_ref(t, &n, col)?;
            if !matches!(dt, DataType::Int64 | DataType::Decimal { .. } | DataType::Float64) {
                return Err(n.error(format!("`{col}` is a {} column; a number's bound must be a number", dt.name())));
            }
            deps.push(r);
            Ok(NumBound::Column(r, (off * unit).round() as i64))
        };
        // A bound is a number, a column (`"col"`, `"col+1"`), or a list of them: the largest
        // of a `min` list, the smallest of a `max` list.
        let mut end = |k: &'static str, default: f64| -> Result<Vec<NumBound>, Error> {
            match opts.get(k) {
                None => Ok(vec![NumBound::Fixed((default * unit).round() as i64)]),
                Some(n) if n.is_array() => {
                    let items = n.array()?;
                    if items.is_empty() {
                        return Err(n.error(format!("`{k}` lists no bound")));
                    }
                    items.into_iter().map(&mut one).collect()
                }
                Some(n) => Ok(vec![one(n)?]),
            }
        };
        let min = end("min", 0.0)?;
        let max = end("max", 1_000_000.0)?;
        let (dtype, what) = match scale {
            Some(s) => (DataType::Decimal { scale: s }, format!("decimal({s})")),
            None => (DataType::Int64, "int".to_string()),
        };
        let describe = format!("{what} between {min:?} and {max:?}");
        Ok(Built {
            generator: Box::new(BetweenGen { min, max, scale }),
            dtype,
            deps,
            unique: None,
            inherent: false,
            describe,
        })
    }

    pub(super) fn bound(
        &mut self,
        t: usize,
        opts: &Opts<'_, '_, '_>,
        k: &'static str,
        default: &str,
        deps: &mut Vec<ColRef>,
    ) -> Result<Bound, Error> {
        let node = opts.get(k);
        let text = match &node {
            Some(n) => match n.value() {
                toml::de::DeValue::Datetime(d) => d.to_string(),
                _ => n.str()?.to_string(),
            },
            None => default.to_string(),
        };
        let err_node = node.clone();
        let (base, off) = parse_range_end(&text).map_err(|e| match &err_node {
            Some(n) => n.error(e),
            None => Error::config(e),
        })?;
        Ok(match base {
            Base::Now => Bound::Fixed(off.apply_micros(self.now)),
            Base::Fixed(x) => Bound::Fixed(off.apply_micros(x)),
            Base::Column(c) => {
                let n = node.expect("a column bound comes from the schema");
                let (r, dt) = self.column_ref(t, &n, c)?;
                if !matches!(dt, DataType::Date | DataType::Timestamp) {
                    return Err(
                        n.error(format!("`{c}` is a {} column; a range end must be a date or timestamp", dt.name()))
                    );
                }
                deps.push(r);
                Bound::Column(r, off)
            }
        })
    }

    pub(super) fn choice(&mut self, t: usize, opts: &Opts<'_, '_, '_>, at: &Node<'_, '_>) -> Result<Built, Error> {
        let vn = opts.require("values", at)?;
        let items = vn.array()?;
        if items.is_empty() {
            return Err(vn.error("`values` needs at least one value"));
        }
        let dt = if items.iter().all(|n| n.is_str()) {
            DataType::Utf8
        } else if items.iter().all(|n| n.value().is_bool()) {
            DataType::Bool
        } else if items.iter().all(|n| n.value().is_integer()) {
            DataType::Int64
        } else if items.iter().all(|n| n.value().is_integer() || n.value().is_float()) {
            DataType::Float64
        } else {
            return Err(vn.error("`values` must all be strings, all booleans, or all numbers"));
        };
        let mut options = Values::with_capacity(dt, items.len());
        for n in &items {
            let one = literal(n, dt)?;
            crate::generate::column::push_scalar(&mut options, one.scalar(0));
            if let Some(text) = literal_text(n) {
                self.note_literal(t, None, "choice value", n.line(), &text);
            }
        }
        let cumulative = match opts.get("weights") {
            None => Vec::new(),
            Some(w) => {
                let ws = w.array()?;
                if ws.len() != items.len() {
                    return Err(w.error(format!("{} weights for {} values", ws.len(), items.len())));
                }
                let mut acc = 0.0;
                let mut cum = Vec::with_capacity(ws.len());
                for n in &ws {
                    let x = n.f64()?;
                    if x < 0.0 {
                        return Err(n.error("a weight must not be negative"));
                    }
                    acc += x;
                    cum.push(acc);
                }
                if acc <= 0.0 {
                    return Err(w.error("weights must not all be zero"));
                }
                cum
            }
        };
        let by_ordinal = match opts.get("pick") {
            None => false,
            Some(n) => match n.str()? {
                "random" => false,
                "ordinal" if self.tables[t].per.is_some() => true,
                "ordinal" => {
                    return Err(n.error(
                        "`pick = \"ordinal\"` gives the children of one parent row different values; it needs a table generated `per` a parent",
                    ))
                }
                other => return Err(n.error(format!("unknown pick `{other}`; valid: random, ordinal"))),
            },
        };
        if by_ordinal && !cumulative.is_empty() {
            return Err(opts
                .get("weights")
                .expect("weights given")
                .error("`weights` do not go with `pick = \"ordinal\"`"));
        }
        Ok(Built {
            generator: Box::new(Choice { options, cumulative, by_ordinal }),
            dtype: dt,
            deps: Vec::new(),
            unique: None,
            inherent: false,
            describe: format!("choice of {}", items.len()),
        })
    }

    pub(super) fn template(
        &mut self,
        t: usize,
        node: &Node<'_, '_>,
        text: &str,
    ) -> Result<(Vec<Part>, Vec<ColRef>), Error> {
        let mut parts = Vec::new();
        let mut deps = Vec::new();
        let mut lit = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, ch)) = chars.next() {
            match ch {
                '{' if chars.peek().map(|x| x.1) == Some('{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek().map(|x| x.1) == Some('}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let end = text[i..]
                        .find('}')
                        .ok_or_else(|| node.error("unclosed `{` in template; write `{{` for a literal brace"))?;
                    let inner = &text[i + 1..i + end];
                    while chars.peek().is_some_and(|&(j, _)| j <= i + end) {
                        chars.next();
                    }
                    if !lit.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut lit)));
                    }
                    let (name, width) = match inner.split_once(':') {
                        Some((n, w)) => {
                            let w: usize =
                                w.trim_start_matches('0').parse().ok().filter(|_| w.starts_with('0')).ok_or_else(
                                    || {
                                        node.error(format!(
                                            "`{{{inner}}}`: the only format is zero padding, e.g. {{row:08}}"
                                        ))
                                    },
                                )?;
                            (n, w)
                        }
                        None => (inner, 0),
                    };
                    match name {
                        "row" => parts.push(Part::Row { width }),
                        "ordinal" => {
                            if self.tables[t].per.is_none() {
                                return Err(node.error("{ordinal} needs a table generated `per` a parent"));
                            }
                            parts.push(Part::Ordinal { width })
                        }
                        _ => {
                            if width != 0 {
                                return Err(node.error("zero padding applies to {row} and {ordinal} only"));
                            }
                            let (c, _) = self.column_ref(t, node, name)?;
                            deps.push(c);
                            parts.push(Part::Column(c));
                        }
                    }
                }
                '}' => return Err(node.error("unmatched `}` in template; write `}}` for a literal brace")),
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Text(lit));
        }
        Ok((parts, deps))
    }
}

/// The fixed text of a regex: each run of literal characters (a concatenation's literal
/// stretch, each alternative's), which a generated value may contain as it is.
fn fixed_text(hir: &regex_syntax::hir::Hir, run: &mut String, out: &mut Vec<String>) {
    use regex_syntax::hir::HirKind;
    let flush = |run: &mut String, out: &mut Vec<String>| {
        if !run.is_empty() {
            out.push(std::mem::take(run));
        }
    };
    match hir.kind() {
        HirKind::Literal(l) => run.push_str(&String::from_utf8_lossy(&l.0)),
        HirKind::Concat(parts) => {
            for p in parts {
                fixed_text(p, run, out);
            }
        }
        HirKind::Capture(c) => fixed_text(&c.sub, run, out),
        HirKind::Alternation(alts) => {
            flush(run, out);
            for a in alts {
                fixed_text(a, run, out);
                flush(run, out);
            }
        }
        HirKind::Repetition(r) => {
            flush(run, out);
            fixed_text(&r.sub, run, out);
            flush(run, out);
        }
        HirKind::Empty | HirKind::Class(_) | HirKind::Look(_) => flush(run, out),
    }
}

/// Options of a column: its table, or nothing for the string shorthand.
pub(super) enum Opts<'t, 'a, 'i> {
    Table(&'t TableNode<'a, 'i>),
    None,
}

impl<'a, 'i> Opts<'_, 'a, 'i> {
    pub(super) fn get(&self, k: &'static str) -> Option<Node<'a, 'i>> {
        match self {
            Opts::Table(t) => t.get(k),
            Opts::None => None,
        }
    }

    pub(super) fn require(&self, k: &'static str, at: &Node<'a, 'i>) -> Result<Node<'a, 'i>, Error> {
        self.get(k).ok_or_else(|| at.error(format!("missing option `{k}`")))
    }
}

/// Whether the `regex` generator takes `pattern` (ASCII, nothing that matches any byte, no
/// anchors or look-arounds inside it).
pub fn regex_generates(pattern: &str) -> bool {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .build()
        .parse(pattern)
        .ok()
        .is_some_and(|hir| rand_regex::Regex::with_hir(hir, 8).is_ok())
}

/// Whether `min` or `max` names a column rather than a number.
fn is_column_bound(o: &Opts<'_, '_, '_>) -> bool {
    ["min", "max"].iter().any(|k| o.get(k).is_some_and(|n| n.is_str() || n.is_array()))
}

fn opt_i64(o: &Opts<'_, '_, '_>, k: &'static str) -> Result<Option<i64>, Error> {
    o.get(k).map(|n| n.i64()).transpose()
}

fn opt_u64(o: &Opts<'_, '_, '_>, k: &'static str) -> Result<Option<u64>, Error> {
    o.get(k).map(|n| n.u64()).transpose()
}

fn opt_f64(o: &Opts<'_, '_, '_>, k: &'static str) -> Result<Option<f64>, Error> {
    o.get(k).map(|n| n.f64()).transpose()
}

/// `dist` with its parameters and optional `min`/`max` bounds.
fn numeric(o: &Opts<'_, '_, '_>, at: &Node<'_, '_>) -> Result<Numeric, Error> {
    let dist_name = o.get("dist").map(|n| n.str().map(str::to_string)).transpose()?;
    let min = opt_f64(o, "min")?;
    let max = opt_f64(o, "max")?;
    if let (Some(a), Some(b)) = (min, max) {
        if a > b {
            return Err(at.error(format!("`min` ({a}) is greater than `max` ({b})")));
        }
    }
    let need = |k: &'static str| -> Result<f64, Error> {
        opt_f64(o, k)?
            .ok_or_else(|| at.error(format!("dist `{}` needs `{k}`", dist_name.as_deref().unwrap_or("uniform"))))
    };
    let positive = |k: &'static str, v: f64| -> Result<f64, Error> {
        if v > 0.0 {
            Ok(v)
        } else {
            Err(o.get(k).unwrap_or_else(|| at.clone()).error(format!("`{k}` must be positive")))
        }
    };
    let dist = match dist_name.as_deref() {
        None | Some("uniform") => Dist::Uniform { min: need("min")?, max: need("max")? },
        Some("normal") => Dist::Normal { mean: need("mean")?, sd: positive("sd", need("sd")?)? },
        Some("lognormal") => {
            let mean = positive("mean", need("mean")?)?;
            let sd = positive("sd", need("sd")?)?;
            // Parameters of the underlying normal from the mean and sd users think in.
            let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
            Dist::LogNormal { mu: mean.ln() - sigma2 / 2.0, sigma: sigma2.sqrt() }
        }
        Some("exponential") => Dist::Exponential { mean: positive("mean", need("mean")?)? },
        Some(other) => {
            return Err(o
                .get("dist")
                .unwrap()
                .error(format!("unknown dist `{other}`; valid: uniform, normal, lognormal, exponential")))
        }
    };
    Ok(Numeric { dist, min, max })
}

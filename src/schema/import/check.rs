//! Check constraints read into what a generator can honour: bounds on numbers and dates,
//! allowed values, lengths, patterns, and comparisons between two columns.
//!
//! Databases print checks in their own ways: PostgreSQL's `pg_get_constraintdef` writes
//! `((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))`
//! and turns `BETWEEN` into two comparisons, MariaDB writes `` `rating` between 1 and 5 ``,
//! and DDL files say what their authors typed. A small parser reads all three; casts are
//! dropped, and whatever is not a conjunction of the shapes below is kept as unexpressed.

/// One fact a check states about one column (or two).
#[derive(Clone, Debug, PartialEq)]
pub enum Fact {
    /// `col op number`, normalised to the column on the left (`5 >= col` → `col <= 5`).
    Num { column: String, op: Op, value: f64 },
    /// `col op 'text'` where the text is a date or timestamp literal, or `now()`/`CURRENT_DATE`
    /// (`value` None).
    Time { column: String, op: Op, value: Option<String> },
    /// `col IN (...)`, `col = ANY (ARRAY[...])`, `col = 'x'`.
    OneOf { column: String, values: Vec<Literal> },
    /// `length(col) op n` (also char_length, character_length, octet_length).
    Length { column: String, op: Op, value: u64 },
    /// `col ~ 'regex'` (PostgreSQL) or `col LIKE 'pattern'` turned into a regex.
    Pattern { column: String, regex: String },
    /// `left op right` between two columns.
    Columns { left: String, op: Op, right: String },
    /// `col IS NOT NULL`.
    NotNull { column: String },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Str(String),
    Num(f64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Op {
    /// The same comparison with its sides swapped (`a < b` ⇔ `b > a`).
    pub fn flip(self) -> Op {
        match self {
            Op::Lt => Op::Gt,
            Op::Le => Op::Ge,
            Op::Gt => Op::Lt,
            Op::Ge => Op::Le,
            o => o,
        }
    }

    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "=" | "==" => Op::Eq,
            "<>" | "!=" => Op::Ne,
            _ => return None,
        })
    }
}

/// What a check says: the facts it is made of, and whether it says only that. `nullable`
/// facts hold only where their column is not null (`x IS NULL OR x > 0`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reading {
    pub facts: Vec<Fact>,
    /// Columns the check lets be null (`col IS NULL OR …`).
    pub or_null: Vec<String>,
    /// The check has parts that are none of the shapes above: generated data might break it.
    pub unexpressed: bool,
}

/// Reads a check expression. `value_column` stands in for `VALUE` (a domain's checks).
pub fn read(expr: &str, value_column: Option<&str>) -> Reading {
    let tokens = match tokenize(expr) {
        Some(t) => t,
        None => return Reading { unexpressed: true, ..Reading::default() },
    };
    let mut p = Parser { t: tokens, i: 0, value_column };
    let mut out = Reading::default();
    match p.or_expr() {
        Some(e) if p.i == p.t.len() => facts(&e, &mut out),
        _ => out.unexpressed = true,
    }
    out
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(f64),
    Sym(String),
}

fn tokenize(s: &str) -> Option<Vec<Tok>> {
    let b: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let mut v = String::new();
            i += 1;
            loop {
                match b.get(i) {
                    None => return None,
                    Some('\'') if b.get(i + 1) == Some(&'\'') => {
                        v.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some('\\') if b.get(i + 1) == Some(&'\'') => {
                        v.push('\'');
                        i += 2;
                    }
                    Some(ch) => {
                        v.push(*ch);
                        i += 1;
                    }
                }
            }
            out.push(Tok::Str(v));
        } else if c == '"' || c == '`' {
            let close = c;
            let mut v = String::new();
            i += 1;
            loop {
                match b.get(i) {
                    None => return None,
                    Some(ch) if *ch == close && b.get(i + 1) == Some(&close) => {
                        v.push(close);
                        i += 2;
                    }
                    Some(ch) if *ch == close => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        v.push(*ch);
                        i += 1;
                    }
                }
            }
            out.push(Tok::Ident(v));
        } else if c.is_ascii_digit() || (c == '.' && b.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
                if (b[i] == 'e' || b[i] == 'E') && b.get(i + 1).is_some_and(|d| *d == '-' || *d == '+') {
                    i += 1;
                }
                i += 1;
            }
            let text: String = b[start..i].iter().collect();
            out.push(Tok::Num(text.parse().ok()?));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_' || b[i] == '$') {
                i += 1;
            }
            out.push(Tok::Ident(b[start..i].iter().collect()));
        } else {
            let two: String = b[i..(i + 2).min(b.len())].iter().collect();
            let sym = if ["<=", ">=", "<>", "!=", "::", "==", "!~", "~*", "~~"].contains(&two.as_str()) {
                two
            } else {
                c.to_string()
            };
            i += sym.chars().count();
            out.push(Tok::Sym(sym));
        }
    }
    Some(out)
}

#[derive(Clone, Debug, PartialEq)]
enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Cmp(Box<Expr>, String, Box<Expr>),
    In(Box<Expr>, Vec<Expr>),
    Between(Box<Expr>, Box<Expr>, Box<Expr>),
    IsNull(Box<Expr>, bool),
    Like(Box<Expr>, String),
    /// `~` (PostgreSQL), `REGEXP`/`RLIKE` (MySQL), or `GLOB` read as a regex.
    Regex(Box<Expr>, String),
    Call(String, Vec<Expr>),
    Array(Vec<Expr>),
    Col(String),
    Str(String),
    Num(f64),
    /// `now()`, `CURRENT_DATE`, `CURRENT_TIMESTAMP`, `localtimestamp`…
    Now,
}

struct Parser<'v> {
    t: Vec<Tok>,
    i: usize,
    value_column: Option<&'v str>,
}

impl Parser<'_> {
    fn peek_kw(&self, kw: &str) -> bool {
        matches!(self.t.get(self.i), Some(Tok::Ident(s)) if s.eq_ignore_ascii_case(kw))
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        let yes = self.peek_kw(kw);
        if yes {
            self.i += 1;
        }
        yes
    }

    fn eat_sym(&mut self, sym: &str) -> bool {
        let yes = matches!(self.t.get(self.i), Some(Tok::Sym(s)) if s == sym);
        if yes {
            self.i += 1;
        }
        yes
    }

    fn or_expr(&mut self) -> Option<Expr> {
        let mut parts = vec![self.and_expr()?];
        while self.eat_kw("OR") {
            parts.push(self.and_expr()?);
        }
        Some(if parts.len() == 1 { parts.pop()? } else { Expr::Or(parts) })
    }

    fn and_expr(&mut self) -> Option<Expr> {
        let mut parts = vec![self.not_expr()?];
        while self.eat_kw("AND") {
            parts.push(self.not_expr()?);
        }
        Some(if parts.len() == 1 { parts.pop()? } else { Expr::And(parts) })
    }

    fn not_expr(&mut self) -> Option<Expr> {
        if self.eat_kw("NOT") {
            return Some(Expr::Not(Box::new(self.not_expr()?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Option<Expr> {
        let left = self.operand()?;
        if self.eat_kw("IS") {
            let not = self.eat_kw("NOT");
            if !self.eat_kw("NULL") {
                return None;
            }
            return Some(Expr::IsNull(Box::new(left), !not));
        }
        let negated = self.eat_kw("NOT");
        if self.eat_kw("BETWEEN") {
            let lo = self.operand()?;
            if !self.eat_kw("AND") {
                return None;
            }
            let hi = self.operand()?;
            let e = Expr::Between(Box::new(left), Box::new(lo), Box::new(hi));
            return Some(if negated { Expr::Not(Box::new(e)) } else { e });
        }
        if self.eat_kw("IN") {
            if !self.eat_sym("(") {
                return None;
            }
            let mut items = vec![self.operand()?];
            while self.eat_sym(",") {
                items.push(self.operand()?);
            }
            if !self.eat_sym(")") {
                return None;
            }
            let e = Expr::In(Box::new(left), items);
            return Some(if negated { Expr::Not(Box::new(e)) } else { e });
        }
        if self.eat_kw("REGEXP") || self.eat_kw("RLIKE") {
            let Expr::Str(p) = self.operand()? else { return None };
            let e = Expr::Regex(Box::new(left), p);
            return Some(if negated { Expr::Not(Box::new(e)) } else { e });
        }
        if self.eat_kw("GLOB") {
            let Expr::Str(p) = self.operand()? else { return None };
            let e = Expr::Regex(Box::new(left), glob_to_regex(&p));
            return Some(if negated { Expr::Not(Box::new(e)) } else { e });
        }
        if self.eat_kw("LIKE") {
            let Expr::Str(p) = self.operand()? else { return None };
            let e = Expr::Like(Box::new(left), p);
            return Some(if negated { Expr::Not(Box::new(e)) } else { e });
        }
        if negated {
            return None;
        }
        if let Some(Tok::Sym(s)) = self.t.get(self.i) {
            let op = s.clone();
            if op == "~~" {
                // PostgreSQL prints LIKE as `~~`.
                self.i += 1;
                let Expr::Str(p) = self.operand()? else { return None };
                return Some(Expr::Like(Box::new(left), p));
            }
            if Op::parse(&op).is_some() || op == "~" {
                self.i += 1;
                // `= ANY (ARRAY[…])`
                if self.eat_kw("ANY") {
                    if !self.eat_sym("(") {
                        return None;
                    }
                    let arr = self.operand()?;
                    if !self.eat_sym(")") {
                        return None;
                    }
                    self.casts();
                    let Expr::Array(items) = arr else { return None };
                    return (op == "=").then(|| Expr::In(Box::new(left), items));
                }
                let right = self.operand()?;
                return Some(Expr::Cmp(Box::new(left), op, Box::new(right)));
            }
        }
        Some(left)
    }

    /// Drops `::type` casts (`::character varying`, `::text[]`, `::numeric(10,2)`).
    fn casts(&mut self) {
        while self.eat_sym("::") {
            while let Some(Tok::Ident(_)) = self.t.get(self.i) {
                self.i += 1;
            }
            if self.eat_sym("(") {
                while !self.eat_sym(")") && self.i < self.t.len() {
                    self.i += 1;
                }
            }
            while self.eat_sym("[") {
                self.eat_sym("]");
            }
        }
    }

    fn operand(&mut self) -> Option<Expr> {
        let e = self.atom()?;
        self.casts();
        // Arithmetic is beyond what a generator honours: read it, but as a call nobody knows.
        if let Some(Tok::Sym(s)) = self.t.get(self.i) {
            if ["+", "-", "*", "/", "%", "||"].contains(&s.as_str()) {
                self.i += 1;
                let right = self.operand()?;
                return Some(Expr::Call("(arithmetic)".into(), vec![e, right]));
            }
        }
        Some(e)
    }

    fn atom(&mut self) -> Option<Expr> {
        let tok = self.t.get(self.i)?.clone();
        self.i += 1;
        match tok {
            Tok::Num(n) => Some(Expr::Num(n)),
            Tok::Str(s) => Some(Expr::Str(s)),
            Tok::Sym(s) if s == "-" => match self.atom()? {
                Expr::Num(n) => Some(Expr::Num(-n)),
                _ => None,
            },
            Tok::Sym(s) if s == "(" => {
                let e = self.or_expr()?;
                self.eat_sym(")").then_some(e)
            }
            Tok::Sym(_) => None,
            Tok::Ident(id) => {
                let lower = id.to_ascii_lowercase();
                if lower == "array" && self.eat_sym("[") {
                    let mut items = Vec::new();
                    if !self.eat_sym("]") {
                        items.push(self.operand()?);
                        while self.eat_sym(",") {
                            items.push(self.operand()?);
                        }
                        if !self.eat_sym("]") {
                            return None;
                        }
                    }
                    return Some(Expr::Array(items));
                }
                if matches!(
                    lower.as_str(),
                    "current_date" | "current_timestamp" | "localtimestamp" | "current_time" | "localtime"
                ) {
                    // MariaDB prints `current_timestamp()`.
                    if self.eat_sym("(") {
                        self.eat_sym(")");
                    }
                    return Some(Expr::Now);
                }
                if lower == "null" {
                    return Some(Expr::Call("null".into(), Vec::new()));
                }
                if matches!(lower.as_str(), "true" | "false") {
                    return Some(Expr::Call(lower, Vec::new()));
                }
                if self.eat_sym("(") {
                    let mut args = Vec::new();
                    if !self.eat_sym(")") {
                        args.push(self.or_expr()?);
                        while self.eat_sym(",") || self.eat_kw("FROM") || self.eat_kw("IN") {
                            args.push(self.or_expr()?);
                        }
                        if !self.eat_sym(")") {
                            return None;
                        }
                    }
                    if matches!(lower.as_str(), "now" | "curdate" | "sysdate" | "utc_timestamp" | "statement_timestamp")
                        && args.is_empty()
                    {
                        return Some(Expr::Now);
                    }
                    return Some(Expr::Call(lower, args));
                }
                // `table.column` → the column.
                let mut name = id;
                while self.eat_sym(".") {
                    match self.t.get(self.i) {
                        Some(Tok::Ident(next)) => {
                            name = next.clone();
                            self.i += 1;
                        }
                        _ => return None,
                    }
                }
                if name.eq_ignore_ascii_case("value") {
                    if let Some(v) = self.value_column {
                        return Some(Expr::Col(v.to_string()));
                    }
                }
                Some(Expr::Col(name))
            }
        }
    }
}

fn facts(e: &Expr, out: &mut Reading) {
    match e {
        Expr::And(parts) => parts.iter().for_each(|p| facts(p, out)),
        Expr::Or(parts) => {
            // `col IS NULL OR <facts about col>`: the facts hold where col has a value.
            let nulls: Vec<&str> = parts
                .iter()
                .filter_map(|p| match p {
                    Expr::IsNull(c, true) => match &**c {
                        Expr::Col(n) => Some(n.as_str()),
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            let rest: Vec<&Expr> = parts.iter().filter(|p| !matches!(p, Expr::IsNull(_, true))).collect();
            if nulls.is_empty() || rest.len() != 1 {
                // `status IN (...)` written as `status = 'a' OR status = 'b'`.
                if let Some(f) = or_of_equals(parts) {
                    out.facts.push(f);
                    return;
                }
                out.unexpressed = true;
                return;
            }
            let mut inner = Reading::default();
            facts(rest[0], &mut inner);
            if inner.unexpressed || !inner.facts.iter().all(|f| fact_columns(f).iter().any(|c| nulls.contains(c))) {
                out.unexpressed = true;
                return;
            }
            out.or_null.extend(nulls.iter().map(|s| s.to_string()));
            out.facts.extend(inner.facts);
        }
        Expr::IsNull(c, false) => match &**c {
            Expr::Col(n) => out.facts.push(Fact::NotNull { column: n.clone() }),
            _ => out.unexpressed = true,
        },
        Expr::Between(x, lo, hi) => {
            facts(&Expr::Cmp(x.clone(), ">=".into(), lo.clone()), out);
            facts(&Expr::Cmp(x.clone(), "<=".into(), hi.clone()), out);
        }
        Expr::In(x, items) => match (&**x, literals(items)) {
            (Expr::Col(c), Some(values)) => out.facts.push(Fact::OneOf { column: c.clone(), values }),
            _ => out.unexpressed = true,
        },
        Expr::Regex(x, regex) => match &**x {
            Expr::Col(c) => out.facts.push(Fact::Pattern { column: c.clone(), regex: regex.clone() }),
            _ => out.unexpressed = true,
        },
        Expr::Like(x, pattern) => match &**x {
            Expr::Col(c) => out.facts.push(Fact::Pattern { column: c.clone(), regex: like_to_regex(pattern) }),
            _ => out.unexpressed = true,
        },
        Expr::Cmp(l, op, r) => match cmp_fact(l, op, r) {
            Some(f) => out.facts.push(f),
            None => out.unexpressed = true,
        },
        // `CHECK (active)`, `CHECK (true)`.
        Expr::Call(name, args) if name == "true" && args.is_empty() => {}
        _ => out.unexpressed = true,
    }
}

fn or_of_equals(parts: &[Expr]) -> Option<Fact> {
    let mut column: Option<&str> = None;
    let mut values = Vec::new();
    for p in parts {
        let Expr::Cmp(l, op, r) = p else { return None };
        if op != "=" {
            return None;
        }
        let (c, v) = match (&**l, &**r) {
            (Expr::Col(c), v) | (v, Expr::Col(c)) => (c.as_str(), v),
            _ => return None,
        };
        if column.is_some_and(|k| k != c) {
            return None;
        }
        column = Some(c);
        values.push(literal(v)?);
    }
    Some(Fact::OneOf { column: column?.to_string(), values })
}

fn literal(e: &Expr) -> Option<Literal> {
    match e {
        Expr::Str(s) => Some(Literal::Str(s.clone())),
        Expr::Num(n) => Some(Literal::Num(*n)),
        _ => None,
    }
}

fn literals(items: &[Expr]) -> Option<Vec<Literal>> {
    items.iter().map(literal).collect()
}

fn fact_columns(f: &Fact) -> Vec<&str> {
    match f {
        Fact::Num { column, .. }
        | Fact::Time { column, .. }
        | Fact::OneOf { column, .. }
        | Fact::Length { column, .. }
        | Fact::Pattern { column, .. }
        | Fact::NotNull { column } => vec![column],
        Fact::Columns { left, right, .. } => vec![left, right],
    }
}

const LENGTH_FUNCTIONS: &[&str] = &["length", "char_length", "character_length", "octet_length", "len"];

fn cmp_fact(l: &Expr, op: &str, r: &Expr) -> Option<Fact> {
    if op == "~" {
        return match (l, r) {
            (Expr::Col(c), Expr::Str(p)) => Some(Fact::Pattern { column: c.clone(), regex: p.clone() }),
            _ => None,
        };
    }
    let op = Op::parse(op)?;
    // The column (or length of one) on the left.
    let (l, op, r) = match (l, r) {
        (Expr::Col(_) | Expr::Call(..), _) => (l, op, r),
        (_, Expr::Col(_) | Expr::Call(..)) => (r, op.flip(), l),
        _ => return None,
    };
    match (l, r) {
        (Expr::Col(a), Expr::Col(b)) => Some(Fact::Columns { left: a.clone(), op, right: b.clone() }),
        (Expr::Col(c), Expr::Num(n)) => Some(Fact::Num { column: c.clone(), op, value: *n }),
        (Expr::Col(c), Expr::Now) => Some(Fact::Time { column: c.clone(), op, value: None }),
        (Expr::Col(c), Expr::Str(s)) => {
            if op == Op::Eq {
                Some(Fact::OneOf { column: c.clone(), values: vec![Literal::Str(s.clone())] })
            } else if crate::temporal::parse_timestamp(s).is_some() {
                Some(Fact::Time { column: c.clone(), op, value: Some(s.clone()) })
            } else {
                s.parse::<f64>().ok().map(|n| Fact::Num { column: c.clone(), op, value: n })
            }
        }
        (Expr::Call(f, args), Expr::Num(n)) if LENGTH_FUNCTIONS.contains(&f.as_str()) && args.len() == 1 => {
            match &args[0] {
                Expr::Col(c) if *n >= 0.0 && n.fract() == 0.0 => {
                    Some(Fact::Length { column: c.clone(), op, value: *n as u64 })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// SQLite's `GLOB` pattern → an anchored regex: `*` any run, `?` one character, `[...]` a
/// class (`[^...]` negated), the rest literal.
pub fn glob_to_regex(p: &str) -> String {
    let mut out = String::from("^");
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push_str("[a-z0-9]{0,8}"),
            '?' => out.push_str("[a-z0-9]"),
            '[' => {
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                for c in chars.by_ref() {
                    if c == ']' {
                        break;
                    }
                    if c == '\\' || c == '[' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push(']');
            }
            c => out.push_str(&regex_syntax::escape(&c.to_string())),
        }
    }
    out.push('$');
    out
}

/// `LIKE` pattern → regex: `%` any run, `_` one character, the rest literal. Runs become
/// short lower-case words so that generated text stays readable.
pub fn like_to_regex(p: &str) -> String {
    let mut out = String::new();
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '%' => out.push_str("[a-z0-9]{1,10}"),
            '_' => out.push_str("[a-z0-9]"),
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push_str(&regex_syntax::escape(&n.to_string()));
                }
            }
            c => out.push_str(&regex_syntax::escape(&c.to_string())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts_of(s: &str) -> Vec<Fact> {
        let r = read(s, None);
        assert!(!r.unexpressed, "{s}: {r:?}");
        r.facts
    }

    #[test]
    fn postgres_spellings_are_read() {
        assert_eq!(
            facts_of(
                "((status)::text = ANY ((ARRAY['open'::character varying, 'closed'::character varying])::text[]))"
            ),
            [Fact::OneOf {
                column: "status".into(),
                values: vec![Literal::Str("open".into()), Literal::Str("closed".into())]
            }]
        );
        assert_eq!(
            facts_of("((rating >= 1) AND (rating <= 5))"),
            [
                Fact::Num { column: "rating".into(), op: Op::Ge, value: 1.0 },
                Fact::Num { column: "rating".into(), op: Op::Le, value: 5.0 }
            ]
        );
        assert_eq!(
            facts_of("(char_length((code)::text) = 3)"),
            [Fact::Length { column: "code".into(), op: Op::Eq, value: 3 }]
        );
        assert_eq!(
            facts_of("((postcode)::text ~ '^[A-Z]{2}[0-9]{3}$'::text)"),
            [Fact::Pattern { column: "postcode".into(), regex: "^[A-Z]{2}[0-9]{3}$".into() }]
        );
        assert_eq!(
            facts_of("(ends_at > starts_at)"),
            [Fact::Columns { left: "ends_at".into(), op: Op::Gt, right: "starts_at".into() }]
        );
        assert_eq!(facts_of("(price >= (0)::numeric)"), [Fact::Num { column: "price".into(), op: Op::Ge, value: 0.0 }]);
        assert_eq!(
            read("((VALUE)::text ~~ '%@%'::text)", Some("email")).facts,
            [Fact::Pattern { column: "email".into(), regex: "[a-z0-9]{1,10}@[a-z0-9]{1,10}".into() }]
        );
    }

    #[test]
    fn mariadb_and_ddl_spellings_are_read() {
        assert_eq!(
            facts_of("`rating` between 1 and 5"),
            [
                Fact::Num { column: "rating".into(), op: Op::Ge, value: 1.0 },
                Fact::Num { column: "rating".into(), op: Op::Le, value: 5.0 }
            ]
        );
        assert_eq!(
            facts_of("`status` in ('open','closed')"),
            [Fact::OneOf {
                column: "status".into(),
                values: vec![Literal::Str("open".into()), Literal::Str("closed".into())]
            }]
        );
        assert_eq!(facts_of("0 < quantity"), [Fact::Num { column: "quantity".into(), op: Op::Gt, value: 0.0 }]);
        assert_eq!(
            facts_of("`quantity_shipped` <= `quantity_ordered`"),
            [Fact::Columns { left: "quantity_shipped".into(), op: Op::Le, right: "quantity_ordered".into() }]
        );
        assert_eq!(
            facts_of("birth_date <= CURRENT_DATE"),
            [Fact::Time { column: "birth_date".into(), op: Op::Le, value: None }]
        );
        let v = read("VALUE >= 0", Some("amount"));
        assert_eq!(v.facts, [Fact::Num { column: "amount".into(), op: Op::Ge, value: 0.0 }]);
    }

    #[test]
    fn regexp_and_glob_checks_are_patterns() {
        assert_eq!(
            facts_of("`postcode` regexp '^[A-Z]{2}[0-9]{3}$'"),
            [Fact::Pattern { column: "postcode".into(), regex: "^[A-Z]{2}[0-9]{3}$".into() }]
        );
        assert_eq!(
            facts_of("postcode GLOB '[A-Z][A-Z][0-9][0-9][0-9]'"),
            [Fact::Pattern { column: "postcode".into(), regex: "^[A-Z][A-Z][0-9][0-9][0-9]$".into() }]
        );
        assert_eq!(glob_to_regex("SKU-*"), "^SKU\\-[a-z0-9]{0,8}$");
    }

    #[test]
    fn null_escapes_and_unexpressible_checks() {
        let r = read("discount IS NULL OR discount BETWEEN 0 AND 50", None);
        assert_eq!(r.or_null, ["discount"]);
        assert_eq!(r.facts.len(), 2);
        assert!(!r.unexpressed);
        for s in [
            "coalesce(bonus, 0) * 2 <= salary",
            "notes IS NULL OR position('http' in notes) = 0",
            "a > 0 OR b > 0",
            "lower(email) = email",
            "(((",
            "'unterminated",
        ] {
            assert!(read(s, None).unexpressed, "{s}");
        }
        // Part of a conjunction is still read; the rest is marked.
        let r = read("qty > 0 AND qty * price < 1000", None);
        assert!(r.unexpressed);
        assert_eq!(r.facts, [Fact::Num { column: "qty".into(), op: Op::Gt, value: 0.0 }]);
    }
}

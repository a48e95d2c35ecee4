//! The small fixed forms read with the hand tokenizer: `CREATE UNIQUE INDEX`, `CREATE TYPE`,
//! `CREATE DOMAIN`, `COMMENT ON TABLE`, `DROP TABLE`.

use super::*;

impl Reader {
    // ----- CREATE UNIQUE INDEX -----

    /// `CREATE UNIQUE INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] t [USING m]
    /// (cols) [INCLUDE (…)] [NULLS [NOT] DISTINCT] [WITH (…)] [TABLESPACE x] [WHERE pred]`.
    pub(super) fn create_unique_index(&mut self, text: &str, toks: &[Tok], kw: usize) {
        let mut k = kw + 1;
        if toks.get(k).is_some_and(|t| t.is_word("CONCURRENTLY")) {
            k += 1;
        }
        Self::skip_if_exists(toks, &mut k);
        let index_name = if toks.get(k).is_some_and(|t| t.is_word("ON")) {
            None
        } else {
            self.tok_name(toks, &mut k).map(|(_, n)| n)
        };
        if toks.get(k).is_some_and(|t| t.is_word("USING")) {
            k += 2; // MySQL: name USING BTREE ON t
        }
        if !toks.get(k).is_some_and(|t| t.is_word("ON")) {
            return;
        }
        k += 1;
        if toks.get(k).is_some_and(|t| t.is_word("ONLY")) {
            k += 1;
        }
        let Some((schema, table)) = self.tok_name(toks, &mut k) else { return };
        if toks.get(k).is_some_and(|t| t.is_word("USING")) {
            k += 2;
        }
        if !toks.get(k).is_some_and(|t| t.is_sym('(')) {
            return;
        }
        let close = matching_paren(toks, k);
        let skip_name = index_name.clone().unwrap_or_else(|| qualified(&schema, &table));
        let mut columns = Vec::new();
        for element in split_commas(&toks[k + 1..close.min(toks.len())]) {
            match self.index_element(element) {
                Some(c) => columns.push(c),
                None => {
                    self.skip(skip_name, "unique index on an expression");
                    return;
                }
            }
        }
        let mut predicate = None;
        let mut depth = 0usize;
        for t in toks.iter().skip(close + 1) {
            match t.tk {
                Tk::Sym('(') => depth += 1,
                Tk::Sym(')') => depth = depth.saturating_sub(1),
                _ if depth == 0 && t.is_word("WHERE") => {
                    predicate = Some(self.expression(text.get(t.end..).unwrap_or("")));
                    break;
                }
                _ => {}
            }
        }
        let unique = Unique { name: index_name, columns, predicate };
        self.target(schema, table, vec![Action::Unique(unique)], "unique index");
    }

    /// A plain column of an index (with COLLATE, operator class, ASC/DESC, NULLS …), or `None`.
    pub(super) fn index_element(&self, element: &[Tok]) -> Option<String> {
        let (first, rest) = element.split_first()?;
        let name = match &first.tk {
            Tk::Word(w) => self.fold(w, false),
            Tk::Quoted(q) => q.clone(),
            _ => return None,
        };
        let rest = match rest {
            // MySQL prefix part: name(10)
            [open, Tok { tk: Tk::Num(_), .. }, close, tail @ ..]
                if self.dialect == Dialect::Mysql && open.is_sym('(') && close.is_sym(')') =>
            {
                tail
            }
            _ => rest,
        };
        // What may follow a column: words and quoted names (COLLATE "C", opclass pg.ops).
        let plain = rest.iter().all(|t| matches!(t.tk, Tk::Word(_) | Tk::Quoted(_) | Tk::Sym('.')))
            && !rest.first().is_some_and(|t| t.is_sym('.'));
        plain.then_some(name)
    }

    /// An expression in hand-read text, rendered by sqlparser (without outer parentheses), or
    /// the text itself if sqlparser cannot read it.
    pub(super) fn expression(&self, text: &str) -> String {
        let parsed = Parser::new(self.sql.as_ref()).try_with_sql(text).and_then(|mut p| {
            let e = p.parse_expr()?;
            if p.peek_token().token == Token::EOF {
                Ok(Some(e))
            } else {
                Ok(None)
            }
        });
        match parsed {
            Ok(Some(e)) => strip_parens(&e).to_string(),
            _ => {
                let mut s = text.trim();
                while s.starts_with('(') && s.ends_with(')') && balanced(&s[1..s.len() - 1]) {
                    s = s[1..s.len() - 1].trim();
                }
                s.to_string()
            }
        }
    }

    // ----- CREATE TYPE / CREATE DOMAIN -----

    pub(super) fn create_type(&mut self, toks: &[Tok], kw: usize) {
        let mut k = kw + 1;
        Self::skip_if_exists(toks, &mut k);
        let Some((schema, name)) = self.tok_name(toks, &mut k) else { return };
        let display = qualified(&schema, &name);
        let Some(next) = toks.get(k) else {
            return; // a shell type, defined in full later
        };
        if next.is_sym('(') {
            self.skip(display, "base type");
            return;
        }
        if !next.is_word("AS") {
            return;
        }
        match toks.get(k + 1) {
            Some(t) if t.is_word("ENUM") => {
                let labels = toks
                    .iter()
                    .skip(k + 2)
                    .filter_map(|t| match &t.tk {
                        Tk::Str(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect();
                self.schema.enums.retain(|e| e.name != name);
                self.schema.enums.push(EnumType { name, labels });
            }
            Some(t) if t.is_sym('(') => self.skip(display, "composite type"),
            Some(t) if t.is_word("RANGE") => self.skip(display, "range type"),
            _ => self.skip(display, "type"),
        }
    }

    /// `CREATE DOMAIN name [AS] base [COLLATE c] [DEFAULT expr] [[CONSTRAINT n] NOT NULL | NULL
    /// | CHECK (expr) [NOT VALID]]…`, read by hand (sqlparser takes `DEFAULT x NOT NULL` as
    /// `DEFAULT (x IS NOT NULL)`).
    pub(super) fn create_domain(&mut self, text: &str, toks: &[Tok], kw: usize) {
        let mut k = kw + 1;
        Self::skip_if_exists(toks, &mut k);
        let Some((_, name)) = self.tok_name(toks, &mut k) else { return };
        if toks.get(k).is_some_and(|t| t.is_word("AS")) {
            k += 1;
        }
        let is_clause = |t: &Tok, next: Option<&Tok>| {
            ["COLLATE", "DEFAULT", "CONSTRAINT", "NULL", "CHECK"].iter().any(|w| t.is_word(w))
                || (t.is_word("NOT") && next.is_some_and(|n| n.is_word("NULL") || n.is_word("VALID")))
        };
        // Up to the next clause keyword outside parentheses (at least one token).
        let clause_end = |from: usize| {
            let mut depth = 0usize;
            let mut j = from;
            while j < toks.len() {
                let t = &toks[j];
                if t.is_sym('(') {
                    depth += 1;
                } else if t.is_sym(')') {
                    depth = depth.saturating_sub(1);
                } else if depth == 0 && j > from && is_clause(t, toks.get(j + 1)) {
                    break;
                }
                j += 1;
            }
            j
        };
        let slice = |from: usize, to: usize| -> &str {
            match (toks.get(from), to.checked_sub(1).and_then(|t| toks.get(t))) {
                (Some(a), Some(b)) if from < to => text.get(a.start..b.end).unwrap_or(""),
                _ => "",
            }
        };
        let type_end = clause_end(k);
        let base_text = slice(k, type_end);
        let base = Parser::new(self.sql.as_ref())
            .try_with_sql(base_text)
            .and_then(|mut p| p.parse_data_type())
            .map(|dt| self.data_type(&dt).0)
            .unwrap_or_else(|_| normalise(base_text));
        let mut domain = Domain { name, base, not_null: false, checks: Vec::new(), default: None };
        k = type_end;
        while k < toks.len() {
            let t = &toks[k];
            if t.is_word("DEFAULT") {
                let end = clause_end(k + 1);
                let d = slice(k + 1, end).trim();
                domain.default = (!d.is_empty() && !d.eq_ignore_ascii_case("NULL")).then(|| d.to_string());
                k = end;
            } else if t.is_word("NOT") && toks.get(k + 1).is_some_and(|n| n.is_word("NULL")) {
                domain.not_null = true;
                k += 2;
            } else if t.is_word("CHECK") && toks.get(k + 1).is_some_and(|n| n.is_sym('(')) {
                let close = matching_paren(toks, k + 1);
                let inner = slice(k + 2, close);
                if !inner.trim().is_empty() {
                    domain.checks.push(self.expression(inner));
                }
                k = close + 1;
            } else if t.is_word("CONSTRAINT") || t.is_word("COLLATE") {
                k += 1;
                let _ = self.tok_name(toks, &mut k);
            } else {
                k += 1;
            }
        }
        self.schema.domains.retain(|d| d.name != domain.name);
        self.schema.domains.push(domain);
    }

    // ----- COMMENT ON TABLE / DROP TABLE -----

    pub(super) fn comment_on(&mut self, toks: &[Tok]) {
        if !(toks.get(1).is_some_and(|t| t.is_word("ON")) && toks.get(2).is_some_and(|t| t.is_word("TABLE"))) {
            return;
        }
        let mut k = 3;
        let Some((schema, name)) = self.tok_name(toks, &mut k) else { return };
        if !toks.get(k).is_some_and(|t| t.is_word("IS")) {
            return;
        }
        let comment = match toks.get(k + 1).map(|t| &t.tk) {
            Some(Tk::Str(s)) => Some(s.clone()),
            _ => None,
        };
        self.target(schema, name, vec![Action::Comment(comment)], "COMMENT ON TABLE");
    }

    pub(super) fn drop_table(&mut self, toks: &[Tok]) {
        let mut k = 2;
        Self::skip_if_exists(toks, &mut k);
        while let Some((schema, name)) = self.tok_name(toks, &mut k) {
            if let Some(t) = self.find_table(schema.as_deref(), &name) {
                self.schema.tables.remove(t);
            }
            if !toks.get(k).is_some_and(|t| t.is_sym(',')) {
                break;
            }
            k += 1;
        }
    }
}

//! `CREATE TABLE`, through sqlparser: columns, types, defaults, identity and generated
//! columns, keys, checks; a statement sqlparser cannot read is repaired once where a known
//! dialect gap explains it, else it is the file's error.

use super::*;

impl Reader {
    // ----- CREATE TABLE -----

    pub(super) fn create_table(
        &mut self,
        st: &RawStatement,
        toks: &[Tok],
        kw: usize,
        mods: &[String],
    ) -> Result<(), DdlError> {
        let mut k = kw + 1;
        Self::skip_if_exists(toks, &mut k);
        let declared = self.tok_name(toks, &mut k);
        if let Some((schema, name)) = &declared {
            let display = qualified(schema, name);
            let has = |m: &str| mods.iter().any(|x| x == m);
            let reason = if has("TEMP") || has("TEMPORARY") {
                Some("temporary table".to_string())
            } else if has("FOREIGN") {
                Some("foreign table".to_string())
            } else if has("VIRTUAL") {
                Some("virtual table".to_string())
            } else if self.dialect == Dialect::Sqlite && name.to_ascii_lowercase().starts_with("sqlite_") {
                Some("SQLite internal table".to_string())
            } else {
                None
            };
            if let Some(reason) = reason {
                self.skip(display, reason);
                return Ok(());
            }
            let next = toks.get(k);
            if next.is_some_and(|t| t.is_word("PARTITION")) && toks.get(k + 1).is_some_and(|t| t.is_word("OF")) {
                let mut p = k + 2;
                let parent = self.tok_name(toks, &mut p).map(|(s, n)| qualified(&s, &n));
                self.skip(display, format!("partition of {}", parent.unwrap_or_default()));
                return Ok(());
            }
            if next.is_some_and(|t| t.is_word("AS") || t.is_word("SELECT")) {
                self.skip(display, "table created from a query");
                return Ok(());
            }
            if next.is_some_and(|t| t.is_word("LIKE")) {
                self.skip(display, "copy of another table (LIKE)");
                return Ok(());
            }
            if next.is_some_and(|t| t.is_word("OF")) {
                self.skip(display, "typed table (OF type)");
                return Ok(());
            }
        }

        // The clauses after the column list matter only for a few flags: read those here and
        // blank the rest, which sqlparser does not always know (TABLESPACE after WITH (…),
        // MySQL PARTITION BY …, …).
        let mut text = st.text.clone();
        let mut partitioned = false;
        let mut comment = None;
        let mut without_rowid = false;
        // The column list's parentheses (token indexes).
        let mut list = None;
        if declared.is_some() && toks.get(k).is_some_and(|t| t.is_sym('(')) {
            let close = matching_paren(toks, k);
            list = Some((k, close));
            if toks.get(k + 1).is_some_and(|t| t.is_word("LIKE")) {
                let display = declared.as_ref().map(|(s, n)| qualified(s, n)).unwrap_or_default();
                self.skip(display, "copy of another table (LIKE)");
                return Ok(());
            }
            if let Some(end) = toks.get(close) {
                let tail = &toks[close + 1..];
                if tail.first().is_some_and(|t| t.is_word("AS")) {
                    let display = declared.as_ref().map(|(s, n)| qualified(s, n)).unwrap_or_default();
                    self.skip(display, "table created from a query");
                    return Ok(());
                }
                let mut depth = 0usize;
                for (j, t) in tail.iter().enumerate() {
                    match &t.tk {
                        Tk::Sym('(') => depth += 1,
                        Tk::Sym(')') => depth = depth.saturating_sub(1),
                        _ if depth > 0 => {}
                        Tk::Word(w)
                            if w.eq_ignore_ascii_case("PARTITION")
                                && tail.get(j + 1).is_some_and(|t| t.is_word("BY")) =>
                        {
                            partitioned = true;
                            break;
                        }
                        Tk::Word(w) if w.eq_ignore_ascii_case("COMMENT") && comment.is_none() => {
                            let mut v = j + 1;
                            if tail.get(v).is_some_and(|t| t.is_sym('=')) {
                                v += 1;
                            }
                            if let Some(Tk::Str(s)) = tail.get(v).map(|t| &t.tk) {
                                comment = Some(s.clone());
                            }
                        }
                        Tk::Word(w) if w.eq_ignore_ascii_case("WITHOUT") => {
                            without_rowid |= tail.get(j + 1).is_some_and(|t| t.is_word("ROWID"));
                        }
                        _ => {}
                    }
                }
                text = blank_from(&st.text, end.end);
            }
        }

        let mut types = Vec::new();
        let parsed = match self.parse_sql(&text) {
            Ok(s) => Ok(s),
            Err(first_err) => match list.and_then(|(o, c)| self.repair_columns(&text, toks, o, c)) {
                Some((repaired, joined)) => match self.parse_sql(&repaired) {
                    Ok(s) => {
                        text = repaired;
                        types = joined;
                        Ok(s)
                    }
                    Err(_) => Err(first_err),
                },
                None => Err(first_err),
            },
        };
        let statement = match parsed {
            Ok(s) => s,
            Err(err) => {
                let what = match &declared {
                    Some((s, n)) => format!("CREATE TABLE {}", qualified(s, n)),
                    None => "CREATE TABLE".to_string(),
                };
                return Err(DdlError {
                    line: st.line,
                    column: st.column,
                    message: format!("could not parse {what}: {}", error_message(&err, st)),
                });
            }
        };
        let Some(Statement::CreateTable(ct)) = statement else {
            return Ok(());
        };
        let (schema, name) = self.object_name(&ct.name);
        if ct.partition_of.is_some() {
            let parent = ct.partition_of.as_ref().map(|p| self.object_name(p)).unwrap_or_default();
            self.skip(qualified(&schema, &name), format!("partition of {}", qualified(&parent.0, &parent.1)));
            return Ok(());
        }
        if ct.query.is_some() && ct.columns.is_empty() {
            self.skip(qualified(&schema, &name), "table created from a query");
            return Ok(());
        }
        if ct.like.is_some() || ct.clone.is_some() {
            self.skip(qualified(&schema, &name), "copy of another table (LIKE)");
            return Ok(());
        }
        let mut table = self.table(&Source::new(&text), &ct, schema, name);
        // Types joined by `repair_columns`: report them as written.
        for c in &mut table.columns {
            let found = types.iter().find(|(j, _)| {
                c.data_type.strip_prefix(j.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with(['(', '[']))
            });
            if let Some((joined, written)) = found {
                c.data_type = format!("{written}{}", &c.data_type[joined.len()..]);
            }
        }
        table.partitioned |= partitioned;
        if comment.is_some() {
            table.comment = comment;
        }
        // SQLite: an `INTEGER PRIMARY KEY` column is the rowid, drawn by the database.
        if self.dialect == Dialect::Sqlite && !without_rowid {
            if let [key] = table.primary_key.as_slice() {
                if let Some(c) = table.columns.iter_mut().find(|c| &c.name == key) {
                    if c.data_type == "integer" {
                        c.identity = true;
                    }
                }
            }
        }
        finish_table(&mut table);
        match self.find_table(table.schema.as_deref(), &table.name) {
            Some(k) if table.schema == self.schema.tables[k].schema => {
                if !ct.if_not_exists {
                    self.schema.tables[k] = table;
                }
            }
            _ => self.schema.tables.push(table),
        }
        Ok(())
    }

    /// Rewrites what sqlparser rejects in a column list, for a second try:
    /// - SQLite: a type of several words that sqlparser does not know (SQLite takes any
    ///   sequence of names: `UNSIGNED BIG INT`, `VARYING CHARACTER(255)`) becomes one
    ///   identifier joined by `_`; the returned map gives the type to report for it. Not for
    ///   the other dialects, where it would hide real errors;
    /// - PostgreSQL `GENERATED ALWAYS AS (expr)` without `STORED`, or with `VIRTUAL`
    ///   (PostgreSQL 18), gets `STORED` (the column is generated either way);
    /// - SQLite conflict clauses (`UNIQUE (a, b) ON CONFLICT REPLACE`) are dropped.
    ///
    /// `open..close` are the tokens of the column list's parentheses.
    pub(super) fn repair_columns(
        &self,
        text: &str,
        toks: &[Tok],
        open: usize,
        close: usize,
    ) -> Option<(String, Vec<(String, String)>)> {
        const NOT_TYPE: [&str; 20] = [
            "CONSTRAINT",
            "PRIMARY",
            "NOT",
            "NULL",
            "UNIQUE",
            "CHECK",
            "DEFAULT",
            "COLLATE",
            "REFERENCES",
            "GENERATED",
            "AS",
            "AUTO_INCREMENT",
            "AUTOINCREMENT",
            "COMMENT",
            "ON",
            "KEY",
            "IDENTITY",
            "CHARSET",
            "STORED",
            "VIRTUAL",
        ];
        const NOT_COLUMN: [&str; 11] = [
            "CONSTRAINT",
            "PRIMARY",
            "UNIQUE",
            "CHECK",
            "FOREIGN",
            "KEY",
            "INDEX",
            "FULLTEXT",
            "SPATIAL",
            "EXCLUDE",
            "LIKE",
        ];
        let list = toks.get(open + 1..close)?;
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        let mut types = Vec::new();
        for element in split_commas(list) {
            let is_column = match element.first().map(|t| &t.tk) {
                Some(Tk::Word(w)) => !NOT_COLUMN.iter().any(|x| w.eq_ignore_ascii_case(x)),
                Some(Tk::Quoted(_)) => true,
                _ => false,
            };
            if !is_column {
                continue;
            }
            let mut end = 1;
            while let Some(t) = element.get(end) {
                let stop = match &t.tk {
                    Tk::Word(w) => {
                        NOT_TYPE.iter().any(|x| w.eq_ignore_ascii_case(x))
                            || (w.eq_ignore_ascii_case("CHARACTER")
                                && element.get(end + 1).is_some_and(|n| n.is_word("SET")))
                    }
                    _ => true,
                };
                if stop {
                    break;
                }
                end += 1;
            }
            if end > 2 && self.dialect == Dialect::Sqlite {
                let words = &element[1..end];
                let joined: Vec<&str> = words.iter().filter_map(|t| text.get(t.start..t.end)).collect();
                let joined = joined.join("_");
                let (from, to) = (words[0].start, words[words.len() - 1].end);
                types.push((joined.to_lowercase(), normalise(text.get(from..to)?)));
                edits.push((from, to, joined));
            }
        }
        if self.dialect == Dialect::Postgres {
            for k in 0..list.len() {
                if list[k].is_word("GENERATED")
                    && list.get(k + 1).is_some_and(|t| t.is_word("ALWAYS"))
                    && list.get(k + 2).is_some_and(|t| t.is_word("AS"))
                    && list.get(k + 3).is_some_and(|t| t.is_sym('('))
                {
                    let close = matching_paren(list, k + 3);
                    let Some(end) = list.get(close) else { continue };
                    match list.get(close + 1) {
                        Some(t) if t.is_word("VIRTUAL") => edits.push((t.start, t.end, "STORED".into())),
                        Some(t) if t.is_word("STORED") => {}
                        _ => edits.push((end.end, end.end, " STORED".into())),
                    }
                }
            }
        }
        if self.dialect == Dialect::Sqlite {
            for w in list.windows(3) {
                if w[0].is_word("ON") && w[1].is_word("CONFLICT") && matches!(w[2].tk, Tk::Word(_)) {
                    edits.push((w[0].start, w[2].end, String::new()));
                }
            }
        }
        if edits.is_empty() {
            return None;
        }
        edits.sort_by_key(|e| e.0);
        let mut out = String::new();
        let mut at = 0;
        for (from, to, with) in edits {
            out.push_str(text.get(at..from)?);
            out.push_str(&with);
            at = to;
        }
        out.push_str(text.get(at..)?);
        Some((out, types))
    }

    pub(super) fn table(&self, text: &Source, ct: &CreateTable, schema: Option<String>, name: String) -> Table {
        let mut table = Table { schema, name, ..Table::default() };
        let mut actions = Vec::new();
        for def in &ct.columns {
            let (column, extra) = self.column_def(text, def);
            table.columns.push(column);
            actions.extend(extra);
        }
        for c in &ct.constraints {
            actions.extend(self.constraint(c));
        }
        for a in actions {
            apply(&mut table, a);
        }
        table.partitioned = ct.partition_by.is_some();
        for opt in table_options(ct) {
            if let SqlOption::Comment(c) = opt {
                table.comment = Some(comment_text(c));
            }
        }
        if let Some(c) = &ct.comment {
            table.comment = Some(comment_text(c));
        }
        table
    }

    pub(super) fn column_def(&self, text: &Source, def: &ColumnDef) -> (Column, Vec<Action>) {
        let options: Vec<(Option<&Ident>, &ColumnOption)> =
            def.options.iter().map(|ColumnOptionDef { name, option }| (name.as_ref(), option)).collect();
        self.column(text, &def.name, &def.data_type, &options)
    }

    /// A column and the constraints written on it (primary key, unique, references, check).
    pub(super) fn column(
        &self,
        text: &Source,
        name: &Ident,
        data_type: &DataType,
        options: &[(Option<&Ident>, &ColumnOption)],
    ) -> (Column, Vec<Action>) {
        let name = self.ident(name);
        let (data_type, serial) = self.data_type(data_type);
        let mut c = Column { name: name.clone(), data_type, nullable: !serial, identity: serial, ..Column::default() };
        // MySQL `SERIAL` is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE.
        let mut actions = Vec::new();
        if serial && self.dialect == Dialect::Mysql {
            actions.push(Action::Unique(Unique { name: None, columns: vec![name.clone()], predicate: None }));
        }
        let constraint_name = |own: &Option<Ident>, def: Option<&Ident>| own.as_ref().or(def).map(|id| self.ident(id));
        for &(def_name, option) in options {
            match option {
                ColumnOption::Null => c.nullable = true,
                ColumnOption::NotNull => c.nullable = false,
                ColumnOption::Default(e) => {
                    c.default = self.default_text(text, e);
                    if c.default.as_deref().is_some_and(is_nextval) {
                        c.identity = true;
                    }
                }
                ColumnOption::PrimaryKey(_) => {
                    c.nullable = false;
                    actions.push(Action::PrimaryKey(vec![name.clone()]));
                }
                ColumnOption::Unique(u) => actions.push(Action::Unique(Unique {
                    name: constraint_name(&u.name, def_name),
                    columns: vec![name.clone()],
                    predicate: None,
                })),
                ColumnOption::ForeignKey(fk) => {
                    let mut f = self.foreign_key(fk);
                    f.columns = vec![name.clone()];
                    f.name = f.name.or(def_name.map(|id| self.ident(id)));
                    actions.push(Action::ForeignKey(f));
                }
                ColumnOption::Check(ck) => actions.push(Action::Check(Check {
                    name: constraint_name(&ck.name, def_name),
                    expr: strip_parens(&ck.expr).to_string(),
                })),
                ColumnOption::Generated { generation_expr, .. } => {
                    if generation_expr.is_some() {
                        c.generated = true;
                    } else {
                        // GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY
                        c.identity = true;
                        if self.dialect == Dialect::Postgres {
                            c.nullable = false;
                        }
                    }
                }
                ColumnOption::Materialized(_) | ColumnOption::Alias(_) => c.generated = true,
                ColumnOption::Identity(_) => c.identity = true,
                // MySQL AUTO_INCREMENT, SQLite AUTOINCREMENT.
                ColumnOption::DialectSpecific(tokens)
                    if tokens.iter().any(|t| {
                        let s = t.to_string().to_ascii_uppercase();
                        s == "AUTO_INCREMENT" || s == "AUTOINCREMENT"
                    }) =>
                {
                    c.identity = true;
                }
                _ => {}
            }
        }
        (c, actions)
    }

    /// The default expression as written in the file, or as sqlparser renders it when its
    /// source text cannot be found. sqlparser's spans are not reliable for every expression, so
    /// the text from the expression's start is parsed again as a column option and accepted
    /// only if it gives the same expression; the next token marks where it ends.
    ///
    /// `DEFAULT NULL` is no default.
    pub(super) fn default_text(&self, text: &Source, e: &Expr) -> Option<String> {
        if matches!(strip_parens(e), Expr::Value(v) if v.to_string().eq_ignore_ascii_case("NULL")) {
            return None;
        }
        Some(self.source_text(text, e).unwrap_or_else(|| e.to_string()))
    }

    pub(super) fn source_text(&self, src: &Source, e: &Expr) -> Option<String> {
        let text = src.text;
        let start = e.span().start;
        let from = src.offset(start.line, start.column)?;
        // A short window is enough for nearly every default, and a table of many columns then
        // does not tokenize its whole remaining text once per column; a default cut short no
        // longer parses to the same expression, and the next window is tried.
        for window in [256, 4096] {
            let mut to = text.len().min(from + window);
            while !text.is_char_boundary(to) {
                to -= 1;
            }
            if let Some(written) = self.reparse_default(text.get(from..to)?, e) {
                return Some(written);
            }
            if to == text.len() {
                break;
            }
        }
        None
    }

    /// The leading text of `rest` that parses as the column default `e`.
    pub(super) fn reparse_default(&self, rest: &str, e: &Expr) -> Option<String> {
        const PREFIX: &str = "DEFAULT ";
        let probe = format!("{PREFIX}{rest}");
        let mut parser = Parser::new(self.sql.as_ref()).try_with_sql(&probe).ok()?;
        let Some(ColumnOption::Default(again)) = parser.parse_optional_column_option().ok()? else {
            return None;
        };
        if again != *e {
            return None;
        }
        let next = parser.peek_token();
        let end = if next.token == Token::EOF {
            probe.len()
        } else {
            offset_of(&probe, next.span.start.line, next.span.start.column)?
        };
        let written = probe.get(PREFIX.len()..end)?.trim();
        (!written.is_empty()).then(|| written.to_string())
    }

    /// The type as the model wants it, and whether it is a serial pseudo-type.
    pub(super) fn data_type(&self, dt: &DataType) -> (String, bool) {
        match dt {
            DataType::Custom(name, modifiers) => {
                let base = name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .map(|id| match self.dialect {
                        Dialect::Postgres => self.ident(id),
                        // MySQL/SQLite have no user types: a built-in sqlparser does not know.
                        _ => id.value.to_lowercase(),
                    })
                    .unwrap_or_else(|| name.to_string().to_lowercase());
                let plain = modifiers.is_empty()
                    && name.0.last().and_then(|p| p.as_ident()).is_some_and(|id| id.quote_style.is_none());
                if plain {
                    let serial = match (self.dialect, base.to_ascii_lowercase().as_str()) {
                        (Dialect::Postgres, "serial" | "serial4") => Some("integer"),
                        (Dialect::Postgres, "bigserial" | "serial8") => Some("bigint"),
                        (Dialect::Postgres, "smallserial" | "serial2") => Some("smallint"),
                        (Dialect::Mysql, "serial") => Some("bigint unsigned"),
                        _ => None,
                    };
                    if let Some(t) = serial {
                        return (t.to_string(), true);
                    }
                }
                if modifiers.is_empty() {
                    (base, false)
                } else {
                    let mods: Vec<String> = modifiers.iter().map(|m| m.to_string()).collect();
                    (format!("{base}({})", mods.join(",")), false)
                }
            }
            DataType::Enum(members, _) => {
                let labels: Vec<String> = members
                    .iter()
                    .map(|m| match m {
                        EnumMember::Name(s) => quote_label(s),
                        EnumMember::NamedValue(s, v) => format!("{}={v}", quote_label(s)),
                    })
                    .collect();
                (format!("enum({})", labels.join(",")), false)
            }
            DataType::Set(labels) => {
                let labels: Vec<String> = labels.iter().map(|s| quote_label(s)).collect();
                (format!("set({})", labels.join(",")), false)
            }
            DataType::Array(ArrayElemTypeDef::SquareBracket(inner, size)) => {
                let (inner, _) = self.data_type(inner);
                match size {
                    Some(n) => (format!("{inner}[{n}]"), false),
                    None => (format!("{inner}[]"), false),
                }
            }
            other => (normalise(&other.to_string()), false),
        }
    }

    pub(super) fn foreign_key(&self, fk: &ForeignKeyConstraint) -> ForeignKey {
        let (parent_schema, parent) = self.object_name(&fk.foreign_table);
        ForeignKey {
            name: fk.name.as_ref().map(|id| self.ident(id)),
            columns: fk.columns.iter().map(|id| self.ident(id)).collect(),
            parent_schema,
            parent,
            parent_columns: fk.referred_columns.iter().map(|id| self.ident(id)).collect(),
            deferrable: deferrable(&fk.characteristics),
        }
    }

    /// A plain column of a key, or `None` for an expression. MySQL's prefix parts
    /// (`name(10)`) count as the column.
    pub(super) fn key_column(&self, ic: &IndexColumn) -> Option<String> {
        match &ic.column.expr {
            Expr::Identifier(id) => Some(self.ident(id)),
            Expr::CompoundIdentifier(ids) => ids.last().map(|id| self.ident(id)),
            Expr::Function(f) if self.dialect == Dialect::Mysql => {
                let rendered = ic.column.expr.to_string();
                let args = rendered.rsplit_once('(')?.1.strip_suffix(')')?;
                if !args.is_empty() && args.chars().all(|ch| ch.is_ascii_digit()) {
                    let (_, n) = self.object_name(&f.name);
                    Some(n)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    pub(super) fn key_columns(&self, cols: &[IndexColumn]) -> Option<Vec<String>> {
        cols.iter().map(|ic| self.key_column(ic)).collect()
    }

    pub(super) fn constraint(&self, c: &TableConstraint) -> Vec<Action> {
        match c {
            TableConstraint::PrimaryKey(pk) => match self.key_columns(&pk.columns) {
                Some(cols) => vec![Action::PrimaryKey(cols)],
                None => vec![],
            },
            TableConstraint::Unique(u) => match self.key_columns(&u.columns) {
                Some(columns) => vec![Action::Unique(Unique {
                    name: u.name.as_ref().or(u.index_name.as_ref()).map(|id| self.ident(id)),
                    columns,
                    predicate: None,
                })],
                None => vec![],
            },
            TableConstraint::ForeignKey(fk) => vec![Action::ForeignKey(self.foreign_key(fk))],
            TableConstraint::Check(ck) => vec![Action::Check(Check {
                name: ck.name.as_ref().map(|id| self.ident(id)),
                expr: strip_parens(&ck.expr).to_string(),
            })],
            // Plain KEY/INDEX, FULLTEXT, EXCLUDE, … USING INDEX: nothing for the model.
            _ => vec![],
        }
    }
}

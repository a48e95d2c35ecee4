//! `ALTER TABLE`: pg_dump's constraints and the changes of migration files, applied to the
//! table when it is known.

use super::*;

impl Reader {
    // ----- ALTER TABLE -----

    pub(super) fn alter_table(&mut self, st: &RawStatement, toks: &[Tok]) {
        let mut k = 2;
        Self::skip_if_exists(toks, &mut k);
        if toks.get(k).is_some_and(|t| t.is_word("ONLY")) {
            k += 1;
        }
        Self::skip_if_exists(toks, &mut k);
        let Some((schema, name)) = self.tok_name(toks, &mut k) else { return };
        if toks.get(k).is_some_and(|t| t.is_sym('*')) {
            k += 1;
        }
        let display = qualified(&schema, &name);
        let rest = &toks[k.min(toks.len())..];

        // pg_dump's partitions: CREATE TABLE child (…); ALTER TABLE parent ATTACH PARTITION child …
        if rest.first().is_some_and(|t| t.is_word("ATTACH")) && rest.get(1).is_some_and(|t| t.is_word("PARTITION")) {
            let mut p = 2;
            if let Some((cs, cn)) = self.tok_name(rest, &mut p) {
                self.partitions.push((cs, cn, schema, name));
            }
            return;
        }
        // pg_dump's identity columns: ALTER TABLE t ALTER [COLUMN] c ADD GENERATED … AS IDENTITY
        // (SEQUENCE NAME …), whose options sqlparser does not read.
        if rest.first().is_some_and(|t| t.is_word("ALTER")) {
            let mut p = 1;
            if rest.get(p).is_some_and(|t| t.is_word("COLUMN")) {
                p += 1;
            }
            if let Some((_, column)) = self.tok_name(rest, &mut p) {
                if rest.get(p).is_some_and(|t| t.is_word("ADD"))
                    && rest.get(p + 1).is_some_and(|t| t.is_word("GENERATED"))
                {
                    self.target(schema, name, vec![Action::Identity(column)], "ALTER TABLE");
                    return;
                }
            }
        }

        let alter = match self.parse_sql(&st.text) {
            Ok(Some(Statement::AlterTable(a))) => a,
            Ok(_) => return,
            Err(err) => {
                // Only an ALTER that adds something matters to the model.
                let mut depth = 0usize;
                let adds = rest.iter().any(|t| {
                    match t.tk {
                        Tk::Sym('(') => depth += 1,
                        Tk::Sym(')') => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    depth == 0 && t.is_word("ADD")
                });
                if adds {
                    self.skip(
                        format!("ALTER TABLE {display}"),
                        format!("could not parse: {}", error_message(&err, st)),
                    );
                }
                return;
            }
        };
        let (schema, name) = self.object_name(&alter.name);
        let src = Source::new(&st.text);
        let mut actions = Vec::new();
        for op in &alter.operations {
            match op {
                AlterTableOperation::AddConstraint { constraint, .. } => {
                    actions.extend(self.constraint(constraint));
                }
                AlterTableOperation::AddColumn { column_def, .. } => {
                    let (c, extra) = self.column_def(&src, column_def);
                    actions.push(Action::AddColumn(c));
                    actions.extend(extra);
                }
                AlterTableOperation::DropColumn { column_names, .. } => {
                    actions.extend(column_names.iter().map(|id| Action::DropColumn(self.ident(id))));
                }
                AlterTableOperation::RenameColumn { old_column_name, new_column_name } => {
                    actions.push(Action::RenameColumn(self.ident(old_column_name), self.ident(new_column_name)));
                }
                AlterTableOperation::RenameTable { table_name } => {
                    let (RenameTableNameKind::As(n) | RenameTableNameKind::To(n)) = table_name;
                    let (s, n) = self.object_name(n);
                    actions.push(Action::Rename(s, n));
                }
                AlterTableOperation::DropConstraint { name, .. } | AlterTableOperation::DropForeignKey { name, .. } => {
                    actions.push(Action::DropConstraint(self.ident(name)));
                }
                AlterTableOperation::DropPrimaryKey { .. } => actions.push(Action::DropPrimaryKey),
                AlterTableOperation::AlterColumn { column_name, op } => {
                    let col = self.ident(column_name);
                    match op {
                        AlterColumnOperation::SetNotNull => actions.push(Action::NotNull(col, true)),
                        AlterColumnOperation::DropNotNull => actions.push(Action::NotNull(col, false)),
                        AlterColumnOperation::SetDefault { value } => {
                            actions.push(Action::Default(col, self.default_text(&src, value)));
                        }
                        AlterColumnOperation::DropDefault => actions.push(Action::Default(col, None)),
                        AlterColumnOperation::SetDataType { data_type, .. } => {
                            actions.push(Action::DataType(col, self.data_type(data_type).0));
                        }
                        AlterColumnOperation::AddGenerated { .. } => actions.push(Action::Identity(col)),
                        _ => {}
                    }
                }
                AlterTableOperation::ModifyColumn { col_name, data_type, options, .. } => {
                    let opts: Vec<(Option<&Ident>, &ColumnOption)> = options.iter().map(|o| (None, o)).collect();
                    let (c, extra) = self.column(&src, col_name, data_type, &opts);
                    actions.push(Action::ReplaceColumn(self.ident(col_name), c));
                    actions.extend(extra);
                }
                AlterTableOperation::ChangeColumn { old_name, new_name, data_type, options, .. } => {
                    let opts: Vec<(Option<&Ident>, &ColumnOption)> = options.iter().map(|o| (None, o)).collect();
                    let (c, extra) = self.column(&src, new_name, data_type, &opts);
                    actions.push(Action::ReplaceColumn(self.ident(old_name), c));
                    actions.extend(extra);
                }
                _ => {}
            }
        }
        self.target(schema, name, actions, "ALTER TABLE");
    }
}

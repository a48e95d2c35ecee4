//! A database schema as `schema import` reads it, from a live catalogue or from DDL: tables,
//! columns with their declared types, keys, unique sets, checks, enums and domains. Nothing
//! here knows about generators; [`super::map`] turns it into a synthgate schema.

/// Which SQL dialect a schema came from (types and check expressions are read in its terms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    Mysql,
    Sqlite,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
            Dialect::Sqlite => "sqlite",
        }
    }
}

/// Everything read from one database or DDL file.
#[derive(Clone, Debug, Default)]
pub struct DbSchema {
    /// Where it came from, as shown in comments (a URL without its password, or a file path).
    pub source: String,
    pub tables: Vec<Table>,
    /// `CREATE TYPE name AS ENUM (...)` (PostgreSQL): name → labels in declared order.
    pub enums: Vec<EnumType>,
    /// `CREATE DOMAIN name AS base [NOT NULL] [CHECK (...)]` (PostgreSQL).
    pub domains: Vec<Domain>,
    /// Objects seen and deliberately not imported (views, materialised views, sequences,
    /// functions…): (name, what it is / why). Listed in the summary.
    pub skipped: Vec<(String, String)>,
    /// The schema whose tables keep bare names (PostgreSQL's current schema, or `--schema`);
    /// a table of another is named `schema.table`. `None` where there are no schemas.
    pub default_schema: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumType {
    /// Unqualified name, lower-case as the database folds it (`order_status`).
    pub name: String,
    pub labels: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Domain {
    pub name: String,
    /// The base type as written (`text`, `numeric(10,2)`, `varchar(20)`).
    pub base: String,
    pub not_null: bool,
    /// Check expressions with `VALUE` standing for the value, as written (without `CHECK`).
    pub checks: Vec<String>,
    pub default: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// The schema/namespace it lives in (`public`, `billing`); `None` for the default one.
    pub schema: Option<String>,
    pub name: String,
    pub columns: Vec<Column>,
    /// Column names in key order; empty for none.
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKey>,
    /// Unique constraints and unique indexes (column names in order), besides the primary key.
    pub uniques: Vec<Unique>,
    /// Table-level and column-level check constraints, as written (without `CHECK`).
    pub checks: Vec<Check>,
    /// Rows the database estimates the table holds (statistics), when read from a live one.
    pub row_estimate: Option<u64>,
    /// A partitioned table (the parent): its partitions are not imported separately.
    pub partitioned: bool,
    /// The table's comment in the database, if any.
    pub comment: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Column {
    pub name: String,
    /// The type as the database declares it, lower-case: `character varying(40)`, `numeric(12,2)`,
    /// `integer[]`, `order_status`, `enum('a','b')`, `timestamp with time zone`.
    pub data_type: String,
    pub nullable: bool,
    /// The default expression as written (`now()`, `'draft'::text`, `nextval('…')`).
    pub default: Option<String>,
    /// An identity, serial or AUTO_INCREMENT column (the database can draw its values).
    pub identity: bool,
    /// A generated (computed) column: the database fills it; never loaded.
    pub generated: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// The referenced table (unqualified), and its schema when given.
    pub parent_schema: Option<String>,
    pub parent: String,
    /// Empty when the DDL leaves them out (`REFERENCES t`): the parent's primary key.
    pub parent_columns: Vec<String>,
    /// `DEFERRABLE` (PostgreSQL, SQLite).
    pub deferrable: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Unique {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// A partial unique index's `WHERE` (PostgreSQL, SQLite), as written.
    pub predicate: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub name: Option<String>,
    /// The expression as written, without `CHECK ( )`.
    pub expr: String,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// `schema.name`, or `name` in the default schema.
    pub fn qualified(&self) -> String {
        match &self.schema {
            Some(s) if !self.name.contains('.') => format!("{s}.{}", self.name),
            _ => self.name.clone(),
        }
    }
}

//! Transforms: the scrub policy applied to batches read from production exports.
//!
//! A [`Scrubber`] holds a checked [`policy::Policy`], the scrub key and the detector. For each
//! column of a table it resolves a [`Plan`] (fail closed: an unnamed column is an error unless
//! the policy says otherwise), then rewrites batches column by column: transformed columns come
//! out with `Scrubbed` lineage, kept ones stay `Input` so the gate scans them in full. Nulls
//! stay null, and a value a transform cannot read becomes null rather than passing through.

pub mod jsonl;
pub mod keyed;
pub mod policy;
pub mod pseudonym;
pub mod suggest;
pub mod value;

use std::collections::HashMap;
use std::sync::Arc;

use crate::batch::{Batch, Column, Lineage, StrBuf, Values};
use crate::detect::scan::{ColumnRules, Scratch};
use crate::detect::Detector;
use crate::error::Error;
use crate::generate::locale::Locale;

use keyed::ScrubKey;
use policy::{Decision, Generalise, Policy, Transform, Unmentioned};
use pseudonym::Entity;

/// What happens to one column of one table.
#[derive(Clone, Debug)]
pub enum Plan {
    Drop,
    Keep,
    Apply(Transform),
}

impl Plan {
    /// The lineage of the column written, if it is written.
    pub fn lineage(&self) -> Option<Lineage> {
        match self {
            Plan::Drop => None,
            Plan::Keep => Some(Lineage::Input),
            Plan::Apply(_) => Some(Lineage::Scrubbed),
        }
    }
}

/// The result of scrubbing a batch: the batch to gate and write, and per output column the
/// number of values a transform could not read (nulled).
pub struct Scrubbed {
    pub batch: Batch,
    pub unreadable: Vec<u64>,
}

pub struct Scrubber {
    pub policy: Policy,
    key: ScrubKey,
    detector: Arc<Detector>,
}

impl Scrubber {
    pub fn new(policy: Policy, key: ScrubKey, detector: Arc<Detector>) -> Scrubber {
        Scrubber { policy, key, detector }
    }

    /// A column or table name as messages may show it: masked where it holds personal data.
    pub fn shown<'a>(&self, name: &'a str) -> std::borrow::Cow<'a, str> {
        self.detector.shown(name)
    }

    /// The plan for `column` of `table`; an error when the policy does not name it and says
    /// nothing about unnamed columns.
    pub fn plan(&self, table: &str, column: &str) -> Result<Plan, Error> {
        match self.policy.decide(table, column) {
            None => Err(Error::config(format!(
                "{}: column `{}` of {table} is not in the policy; add it under [columns] (or \
                 [tables.{table}.columns]), or set unmentioned = \"drop\" or \"keep\"",
                self.policy.name,
                self.shown(column),
                table = self.detector.shown_path(table),
            ))),
            Some(Decision::Unmentioned(Unmentioned::Drop)) => Ok(Plan::Drop),
            Some(Decision::Unmentioned(_)) => Ok(Plan::Keep),
            Some(Decision::Entry(e)) => Ok(match &e.transform {
                Transform::Drop => Plan::Drop,
                Transform::Keep { .. } => Plan::Keep,
                t => Plan::Apply(t.clone()),
            }),
        }
    }

    /// Scrubs one batch with the plans of its columns (`plans[i]` for `batch.columns[i]`).
    /// Kept columns move to the result as they are.
    pub fn scrub(&self, batch: Batch, plans: &[Arc<Plan>]) -> Result<Scrubbed, Error> {
        let mut transformed = Vec::with_capacity(batch.columns.len());
        for (col, plan) in batch.columns.iter().zip(plans) {
            transformed.push(match &**plan {
                Plan::Apply(t) => Some(self.apply(&batch, col, t)?),
                _ => None,
            });
        }
        let mut columns = Vec::with_capacity(batch.columns.len());
        let mut unreadable = Vec::with_capacity(batch.columns.len());
        let Batch { table, first_row, rows, columns: input } = batch;
        for ((col, plan), t) in input.into_iter().zip(plans).zip(transformed) {
            match (&**plan, t) {
                (Plan::Drop, _) => {}
                (_, Some((c, bad))) => {
                    columns.push(c);
                    unreadable.push(bad);
                }
                (_, None) => {
                    columns.push(col);
                    unreadable.push(0);
                }
            }
        }
        Ok(Scrubbed { batch: Batch { table, first_row, rows, columns }, unreadable })
    }

    fn apply(&self, batch: &Batch, col: &Column, t: &Transform) -> Result<(Column, u64), Error> {
        let n = col.len();
        let mut out = StrBuf::with_capacity(n, n * 16);
        let mut validity = vec![true; n];
        let mut unreadable = 0;
        let shift_by = match t {
            Transform::ShiftDates { by, .. } => Some(self.by_column(batch, col, by)?),
            _ => None,
        };
        let rules = match t {
            Transform::FreeText { .. } => Some(self.detector.cell_rules(&col.name, Lineage::Input)),
            _ => None,
        };
        // A keyed transform (or a free-text scan) of a value seen earlier in the chunk copies
        // that output: names, cities, boilerplate notes cost one HMAC or scan per chunk, not
        // one per row. Columns that hardly repeat stop looking after the first thousand values.
        let mut memo: Option<HashMap<&str, u32>> = match t {
            Transform::Hash { .. } | Transform::Pseudonymise { .. } | Transform::FreeText { .. } => {
                Some(HashMap::new())
            }
            _ => None,
        };
        let (mut looked, mut found) = (0u32, 0u32);
        let values = text_of(col)?;
        self.detector.with_scratch(|scratch| {
            for (i, valid) in validity.iter_mut().enumerate() {
                if col.is_null(i) {
                    out.end_value();
                    *valid = false;
                    continue;
                }
                let v = values.get(i);
                if let Some(m) = &mut memo {
                    looked += 1;
                    if let Some(&j) = m.get(v) {
                        found += 1;
                        out.extend_from_value(j as usize);
                        out.end_value();
                        continue;
                    }
                    m.insert(v, i as u32);
                    if looked == 1024 && found < 128 {
                        memo = None;
                    }
                }
                let ok = match t {
                    Transform::Keep { .. } | Transform::Drop => unreachable!("not applied per value"),
                    Transform::Null => false,
                    Transform::Redact { token } => {
                        out.extend(token);
                        true
                    }
                    Transform::Mask { first, last, with } => {
                        value::mask(v, *first, *last, *with, &mut out);
                        true
                    }
                    Transform::Hash { encoding, length } => {
                        value::hash(&self.key, v, *encoding, *length, &mut out);
                        true
                    }
                    Transform::Pseudonymise { entity, locale } => {
                        pseudonym::write(&self.key, *entity, locale, v, &mut out);
                        true
                    }
                    Transform::Generalise(g) => match g {
                        Generalise::Year => value::year(v, &mut out),
                        Generalise::Month => value::month(v, &mut out),
                        Generalise::AgeBand { width, as_of, top } => value::age_band(v, *as_of, *width, *top, &mut out),
                        Generalise::OutwardCode => value::outward_code(v, &mut out),
                        Generalise::Bucket { width } => value::bucket(v, *width, &mut out),
                    },
                    Transform::ShiftDates { max_days, .. } => {
                        let (by_col, by_values) = shift_by.expect("resolved above");
                        let r = col.row_of(i);
                        let by = if by_col.is_null(r) { "" } else { by_values.get(r) };
                        value::shift(v, value::shift_days(&self.key, by, *max_days), &mut out)
                    }
                    Transform::FreeText { pseudonyms, locale } => {
                        let rules = rules.as_ref().expect("made above");
                        self.free_text(rules, v, *pseudonyms, locale, scratch, &mut out);
                        true
                    }
                };
                if !ok {
                    out.discard_current();
                    *valid = false;
                    if !matches!(t, Transform::Null) {
                        unreadable += 1;
                    }
                }
                out.end_value();
            }
        });
        let validity = validity.iter().any(|v| !v).then_some(validity);
        let mut c = Column::new(Arc::clone(&col.name), Lineage::Scrubbed, Values::Utf8(out), validity);
        c.value_rows = col.value_rows.clone();
        Ok((c, unreadable))
    }

    /// The column a date shift takes its entity from (one value per row), and its text.
    fn by_column<'b>(&self, batch: &'b Batch, col: &Column, by: &str) -> Result<(&'b Column, &'b StrBuf), Error> {
        let Some(c) = batch.column(by) else {
            return Err(Error::config(format!(
                "{}: shift_dates of column `{}` is by `{}`, which {} does not have",
                self.policy.name,
                self.shown(&col.name),
                self.shown(by),
                self.detector.shown_path(&batch.table)
            )));
        };
        if c.value_rows.is_some() {
            return Err(Error::config(format!(
                "{}: shift_dates of column `{}` is by `{}`, which holds several values in a row",
                self.policy.name,
                self.shown(&col.name),
                self.shown(by)
            )));
        }
        Ok((c, text_of(c)?))
    }

    /// Replaces each piece of personal data the detector finds in `text`, left to right; the
    /// text between them is copied. Replacements are never scanned again.
    fn free_text(
        &self,
        rules: &ColumnRules,
        text: &str,
        pseudonyms: bool,
        locale: &Locale,
        scratch: &mut Scratch,
        out: &mut StrBuf,
    ) {
        let mut hits = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let rest = &text[at..];
            hits.clear();
            self.detector.scan_cell(rules, rest, scratch, &mut hits);
            let Some((rule, m)) = hits.iter().filter(|(_, m)| !m.reserved).min_by_key(|(_, m)| (m.start, !m.end))
            else {
                break;
            };
            out.extend(&rest[..m.start]);
            let found = &rest[m.start..m.end];
            let entity = &*self.detector.rules.rules[*rule].entity;
            match Entity::parse(entity).filter(|_| pseudonyms) {
                Some(Entity::PersonName) if !found.contains(' ') => {
                    pseudonym::write(&self.key, Entity::LastName, locale, found, out)
                }
                Some(e) => pseudonym::write(&self.key, e, locale, found, out),
                None => {
                    out.extend("[");
                    out.extend(&entity.to_ascii_uppercase());
                    out.extend("]");
                }
            }
            at += m.end.max(1);
        }
        if at < text.len() {
            out.extend(&text[at..]);
        }
    }
}

/// A column's values as text: sources read every value as text, and scrub transforms text.
fn text_of(col: &Column) -> Result<&StrBuf, Error> {
    match &col.values {
        Values::Utf8(s) => Ok(s),
        other => Err(Error::config(format!(
            "column `{}` holds {} values; scrub transforms text as sources read it",
            col.name,
            other.data_type().name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::rule::RuleSet;
    use crate::transform::keyed::test_key;

    fn text(name: &str, values: &[Option<&str>]) -> Column {
        let mut s = StrBuf::default();
        for v in values {
            s.push(v.unwrap_or(""));
        }
        let validity = values.iter().any(Option::is_none).then(|| values.iter().map(Option::is_some).collect());
        Column::new(name.into(), Lineage::Input, Values::Utf8(s), validity)
    }

    fn scrubber(policy: &str) -> Scrubber {
        let det = Arc::new(Detector::new(RuleSet::defaults().unwrap()));
        Scrubber::new(Policy::parse("p.toml", policy).unwrap(), test_key(b'q'), det)
    }

    #[test]
    fn repeated_values_get_the_output_of_their_first_occurrence() {
        let s = scrubber("[columns]\nname = { transform = \"pseudonymise\", entity = \"first_name\" }\n");
        // Repeats from the start (the memo stays on), and repeats only after 1,100 distinct
        // values (it has turned off by then): the same outputs either way.
        for names in [
            (0..3000).map(|i| format!("n{}", i % 7)).collect::<Vec<_>>(),
            (0..3000).map(|i| format!("n{}", if i < 1100 { i } else { i % 7 })).collect(),
        ] {
            let col = text("name", &names.iter().map(|n| Some(n.as_str())).collect::<Vec<_>>());
            let batch = Batch { table: "t".into(), first_row: 0, rows: 3000, columns: vec![col] };
            let plans = vec![Arc::new(s.plan("t", "name").unwrap())];
            let out = s.scrub(batch, &plans).unwrap().batch;
            let Values::Utf8(v) = &out.columns[0].values else { panic!() };
            let en = crate::generate::locale::locale("en").unwrap();
            for (i, name) in names.iter().enumerate() {
                let mut one = StrBuf::default();
                pseudonym::write(&s.key, Entity::FirstName, en, name, &mut one);
                assert_eq!(v.get(i), one.current(), "row {i}");
            }
            assert_eq!(out.columns[0].lineage, Lineage::Scrubbed);
        }
    }

    #[test]
    fn nulls_stay_null_and_unreadable_values_become_null_and_are_counted() {
        let s = scrubber("[columns]\nd = { transform = \"generalise\", to = \"year\" }\nk = \"keep\"\nx = \"drop\"\n");
        let batch = Batch {
            table: "t".into(),
            first_row: 0,
            rows: 3,
            columns: vec![
                text("d", &[Some("2020-01-02"), None, Some("soon")]),
                text("k", &[Some("a"), Some("b"), None]),
                text("x", &[Some("1"), Some("2"), Some("3")]),
            ],
        };
        let plans: Vec<_> = ["d", "k", "x"].iter().map(|c| Arc::new(s.plan("t", c).unwrap())).collect();
        let out = s.scrub(batch, &plans).unwrap();
        assert_eq!(out.batch.columns.len(), 2, "x is dropped");
        let d = &out.batch.columns[0];
        assert_eq!(
            (0..3).map(|i| d.get(i)).collect::<Vec<_>>(),
            [crate::batch::Scalar::Str("2020"), crate::batch::Scalar::Null, crate::batch::Scalar::Null]
        );
        assert_eq!(out.unreadable, [1, 0]);
        assert_eq!(out.batch.columns[1].lineage, Lineage::Input);
    }
}

//! Table-level parts of a schema: child counts of `per` tables, and scenarios.

use crate::batch::Values;
use crate::error::Error;
use crate::generate::plan::{Count, ScenarioPlan, Size};

use super::compile::Compiler;
use super::value::literal;
use crate::toml_cursor::Node;

impl Compiler<'_, '_> {
    pub(super) fn scenarios(&mut self, t: usize, sizes: &[Size]) -> Result<Vec<ScenarioPlan>, Error> {
        let Some(list) = self.tables[t].node.get("scenarios") else { return Ok(Vec::new()) };
        let mut out: Vec<ScenarioPlan> = Vec::new();
        for (i, item) in list.array()?.into_iter().enumerate() {
            let tn = item.table()?;
            let name = match tn.get("name") {
                Some(n) => n.str()?.to_string(),
                None => format!("scenario {}", i + 1),
            };
            let row = match tn.get("row") {
                Some(n) => n.u64()?,
                None => i as u64,
            };
            if let Size::Fixed(n) = sizes[t] {
                if row >= n {
                    let at = tn.get("row").unwrap_or(item.clone());
                    return Err(at.error(format!(
                        "scenario `{name}` is at row {row}, but the table has {n} rows at this scale"
                    )));
                }
            }
            if let Some(prev) = out.iter().find(|s| s.row == row) {
                return Err(item.error(format!("scenario `{name}` is at row {row}, already taken by `{}`", prev.name)));
            }
            let mut values = Vec::new();
            if let Some(vn) = tn.get("values") {
                for (cname, v) in vn.table()?.entries() {
                    let c = self.column_index(t, cname).ok_or_else(|| {
                        v.error(format!(
                            "unknown column `{cname}` in table `{}`; columns: {}",
                            self.tables[t].name,
                            self.column_names(t)
                        ))
                    })?;
                    let plan = self.plans[t][c].as_ref().expect("columns compiled before scenarios");
                    if plan.unique.is_some() {
                        return Err(v.error(format!("`{cname}` is unique (a key); a scenario cannot set it, since its value might repeat another row's")));
                    }
                    let value = literal(&v, plan.dtype)?;
                    values.push((c, value));
                    if let Some(text) = super::value::literal_text(&v) {
                        self.note_literal(t, Some(c), "scenario value", v.line(), &text);
                    }
                }
            }
            if let Some(nn) = tn.get("nulls") {
                for item in nn.array()? {
                    let cname = item.str()?;
                    let c = self.column_index(t, cname).ok_or_else(|| {
                        item.error(format!(
                            "unknown column `{cname}` in table `{}`; columns: {}",
                            self.tables[t].name,
                            self.column_names(t)
                        ))
                    })?;
                    if self.plans[t][c].as_ref().is_some_and(|p| p.unique.is_some()) {
                        return Err(item.error(format!("`{cname}` is unique (a key); a scenario cannot make it null")));
                    }
                    if values.iter().any(|(vc, _)| *vc == c) {
                        return Err(item.error(format!("`{cname}` is both in `values` and in `nulls`")));
                    }
                    values.push((c, Values::with_capacity(self.plans[t][c].as_ref().expect("compiled").dtype, 0)));
                }
            }
            if let Some(ch) = tn.get("children") {
                for (child, n) in ch.table()?.entries() {
                    let ct = self
                        .table_index(child)
                        .ok_or_else(|| n.error(format!("unknown table `{child}`; tables: {}", self.table_names())))?;
                    match &sizes[ct] {
                        Size::Per { parent, .. } if *parent == t => {}
                        _ => {
                            return Err(
                                n.error(format!("`{child}` is not generated per row of `{}`", self.tables[t].name))
                            )
                        }
                    }
                    let count = n.u64()?;
                    if count > 1_000_000 {
                        return Err(n.error("at most 1,000,000 children per scenario row"));
                    }
                    self.children_overrides[ct].push((row, count));
                }
            }
            tn.deny_unknown("in a scenario")?;
            out.push(ScenarioPlan { name, row, values, line: item.line() });
        }
        Ok(out)
    }
}

pub(super) fn parse_count(c: &Node<'_, '_>) -> Result<Count, Error> {
    if !c.is_table() {
        return Ok(Count::Fixed(c.u64()?));
    }
    let tn = c.table()?;
    let d = tn.require("dist")?;
    let u = |k: &'static str| -> Result<u64, Error> { tn.require(k)?.u64() };
    let count = match d.str()? {
        "fixed" => Count::Fixed(u("n")?),
        "uniform" => {
            let (min, max) = (u("min")?, u("max")?);
            if min > max {
                return Err(c.error("`min` is greater than `max`"));
            }
            Count::Uniform { min, max }
        }
        "poisson" => {
            let mean = tn.require("mean")?.f64()?;
            if mean < 0.0 {
                return Err(c.error("`mean` must not be negative"));
            }
            let max = match tn.get("max") {
                Some(n) => n.u64()?,
                None => (mean * 10.0).ceil() as u64 + 10,
            };
            Count::Poisson { mean, max }
        }
        "zipf" => {
            let max = u("max")?;
            let exponent = match tn.get("exponent") {
                Some(n) => n.f64()?,
                None => 1.1,
            };
            if exponent <= 0.0 || max == 0 {
                return Err(c.error("zipf needs `max` ≥ 1 and a positive `exponent`"));
            }
            Count::Zipf { max, exponent }
        }
        other => return Err(d.error(format!("unknown count dist `{other}`; valid: fixed, uniform, poisson, zipf"))),
    };
    if count.max() > 10_000_000 {
        return Err(c.error("at most 10,000,000 children per parent row"));
    }
    tn.deny_unknown(&format!("for count dist `{}`", d.str()?))?;
    Ok(count)
}

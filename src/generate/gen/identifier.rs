//! Identifiers with check digits or number ranges, always inside reserved ranges.

use crate::batch::Values;
use crate::generate::column::{Generate, RowCtx};
use crate::generate::permute::Permutation;
use crate::generate::rng::CellRng;
use crate::reserved::Space;

pub struct IdentifierGen {
    pub space: Space,
    /// Set for `unique = true`: row → index in the reserved space, a bijection.
    pub unique: Option<Permutation>,
}

impl Generate for IdentifierGen {
    fn generate(&self, cx: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        let Values::Utf8(o) = out else { return false };
        let k = match &self.unique {
            Some(p) => p.apply(cx.row),
            None => rng.below(self.space.size()),
        };
        self.space.write(k, o);
        o.end_value();
        true
    }
}

//! Names, addresses, companies and jobs from a locale's dictionaries.

use crate::batch::Values;
use crate::generate::column::{Generate, RowCtx};
use crate::generate::locale::Locale;
use crate::generate::rng::CellRng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    FirstName,
    LastName,
    FullName,
    Title,
    StreetAddress,
    City,
    Postcode,
    State,
    Country,
    CountryCode,
    Company,
    JobTitle,
}

impl Field {
    pub const ALL: &'static [(&'static str, Field)] = &[
        ("first_name", Field::FirstName),
        ("last_name", Field::LastName),
        ("full_name", Field::FullName),
        ("title", Field::Title),
        ("street_address", Field::StreetAddress),
        ("city", Field::City),
        ("postcode", Field::Postcode),
        ("state", Field::State),
        ("country", Field::Country),
        ("country_code", Field::CountryCode),
        ("company", Field::Company),
        ("job_title", Field::JobTitle),
    ];

    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }
}

pub struct PersonGen {
    pub field: Field,
    pub locale: &'static Locale,
}

impl Generate for PersonGen {
    fn generate(&self, _: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        let Values::Utf8(o) = out else { return false };
        let l = self.locale;
        match self.field {
            Field::FirstName => o.extend(l.first_name(rng)),
            Field::LastName => o.extend(l.last_name(rng)),
            Field::FullName => {
                let (first, last) = (l.first_name(rng), l.last_name(rng));
                l.write_full_name(first, last, o);
            }
            Field::Title => o.extend(l.title(rng)),
            Field::StreetAddress => l.write_street_address(rng, o),
            Field::City => l.write_city(rng, o),
            Field::Postcode => l.write_postcode(rng, o),
            Field::State => o.extend(l.state(rng)),
            Field::Country => o.extend(l.country_name()),
            Field::CountryCode => o.extend(l.country_code()),
            Field::Company => l.write_company(rng, o),
            Field::JobTitle => l.write_job_title(rng, o),
        }
        o.end_value();
        true
    }
}

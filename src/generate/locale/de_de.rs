//! German data that fake lacks (it falls back to English for these).

/// Street names that are not people, fused with the street type: "Hauptstraße", "Lindenweg".
pub(super) const STREET_STEMS: &[&str] = &[
    "Haupt", "Bahnhof", "Kirch", "Schul", "Garten", "Linden", "Berg", "Wald", "Dorf", "Mühlen", "Feld", "Wiesen",
    "Sonnen", "Rosen", "Birken", "Eichen", "Ahorn", "Tannen", "Buchen", "Markt", "Schloss", "Burg", "Brunnen", "Post",
    "Hafen", "Bach", "Tal", "Acker",
];

/// German cities often name their river: "Frankfurt (Oder)".
pub(super) const CITY_RIVERS: &[&str] = &[
    "(Rhein)", "(Elbe)", "(Donau)", "(Main)", "(Weser)", "(Oder)", "(Neckar)", "(Havel)", "(Mosel)", "(Ems)", "(Saale)",
];

/// Written before the title, and only sometimes: "Leitender Referent Vertrieb".
pub(super) const JOB_SENIORITY: &[&str] = &["Senior", "Junior", "Leitender", "Stellvertretender"];

pub(super) const JOB_FIELDS: &[&str] = &[
    "Vertrieb",
    "Marketing",
    "Personal",
    "Einkauf",
    "Controlling",
    "Buchhaltung",
    "IT",
    "Logistik",
    "Produktion",
    "Kundenservice",
    "Recht",
    "Qualitätssicherung",
    "Finanzen",
    "Forschung und Entwicklung",
];

pub(super) const JOB_POSITIONS: &[&str] = &[
    "Referent",
    "Sachbearbeiter",
    "Berater",
    "Leiter",
    "Projektleiter",
    "Entwickler",
    "Analyst",
    "Koordinator",
    "Assistent",
    "Spezialist",
    "Manager",
    "Ingenieur",
    "Techniker",
];

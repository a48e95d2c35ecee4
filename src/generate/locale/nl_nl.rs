//! Dutch data that fake lacks.

/// Street names that are not people, fused with the street type: "Kerkstraat", "Molenweg".
pub(super) const STREET_STEMS: &[&str] = &[
    "Kerk", "Molen", "Dorps", "School", "Heren", "Keizers", "Prinsen", "Linden", "Eiken", "Beuken", "Berken", "Wilgen",
    "Markt", "Haven", "Stations", "Kastanje", "Tuin", "Zuid", "Noord", "Oost", "West", "Vijver", "Dijk", "Brink",
];

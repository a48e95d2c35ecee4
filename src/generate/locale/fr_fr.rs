//! French data that fake lacks (it falls back to English for these).

/// Street names that are not people: "rue de la Paix", "place du Marché".
pub(super) const STREET_STEMS: &[&str] = &[
    "de la Paix",
    "de la Gare",
    "de la Mairie",
    "de la République",
    "de la Liberté",
    "de la Fontaine",
    "de l'Église",
    "de l'École",
    "du Moulin",
    "du Château",
    "du Marché",
    "du Port",
    "du Pont",
    "du Stade",
    "du Commerce",
    "du Lavoir",
    "des Lilas",
    "des Écoles",
    "des Tilleuls",
    "des Acacias",
    "des Roses",
    "des Vignes",
    "des Jardins",
    "des Peupliers",
];

/// Appended to a surname to make a town: "Dupont-sur-Loire".
pub(super) const CITY_SUFFIXES: &[&str] = &[
    "-sur-Seine",
    "-sur-Loire",
    "-sur-Marne",
    "-sur-Mer",
    "-sur-Saône",
    "-sur-Oise",
    "-sur-Meuse",
    "-sur-Garonne",
    "-sur-Yonne",
    "-sur-Cher",
    "-les-Bains",
    "-le-Château",
    "-en-Provence",
    "-la-Forêt",
];

pub(super) const REGIONS: &[&str] = &[
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
];

pub(super) const COMPANY_SUFFIXES: &[&str] = &["SA", "SARL", "SAS", "SASU", "EURL", "et Fils", "et Associés"];

/// Written after the title, and only sometimes: "Chef de projet informatique senior".
pub(super) const JOB_SENIORITY: &[&str] = &["senior", "junior", "principal", "adjoint"];

/// Each carries its own preposition, so that "Responsable" + field reads naturally.
pub(super) const JOB_FIELDS: &[&str] = &[
    "marketing",
    "commercial",
    "des ventes",
    "des achats",
    "informatique",
    "logistique",
    "financier",
    "juridique",
    "qualité",
    "de production",
    "de la communication",
    "des ressources humaines",
    "comptable",
    "technique",
];

pub(super) const JOB_POSITIONS: &[&str] = &[
    "Responsable",
    "Directeur",
    "Chef de projet",
    "Chargé de mission",
    "Analyste",
    "Consultant",
    "Assistant",
    "Ingénieur",
    "Technicien",
    "Coordinateur",
    "Gestionnaire",
    "Conseiller",
];

//! Brazilian data that fake lacks (it falls back to English for these).

pub(super) const TITLES: &[&str] = &["Sr.", "Sra.", "Srta.", "Dr.", "Dra."];

/// Street names that are not people: "Rua das Flores", "Avenida Sete de Setembro".
pub(super) const STREET_STEMS: &[&str] = &[
    "das Flores",
    "da Paz",
    "XV de Novembro",
    "Sete de Setembro",
    "Brasil",
    "da Liberdade",
    "das Palmeiras",
    "do Comércio",
    "Principal",
    "da Independência",
    "dos Pinheiros",
    "das Acácias",
    "do Sol",
    "da Praia",
    "Amazonas",
    "Bahia",
    "Paraná",
    "São João",
    "da Matriz",
    "do Rosário",
];

/// Placed before a surname to make a town: "Porto Ferreira", "Vila Mendes".
pub(super) const CITY_PREFIXES: &[&str] = &["Porto", "Vila", "Campo", "Monte", "Rio", "Serra", "Barra", "Lagoa"];

/// Placed after it: "Oliveira do Sul".
pub(super) const CITY_SUFFIXES: &[&str] = &[
    "do Sul",
    "do Norte",
    "do Oeste",
    "da Serra",
    "das Pedras",
    "dos Campos",
    "Paulista",
    "Verde",
    "Grande",
    "Alegre",
];

/// Written after the title, and only sometimes: "Analista de Sistemas Pleno".
pub(super) const JOB_SENIORITY: &[&str] = &["Júnior", "Pleno", "Sênior"];

/// Each carries its own preposition: "Analista Financeiro", "Gerente de Vendas".
pub(super) const JOB_FIELDS: &[&str] = &[
    "de Marketing",
    "de Vendas",
    "Financeiro",
    "Administrativo",
    "de TI",
    "de Sistemas",
    "de Recursos Humanos",
    "de Logística",
    "de Compras",
    "Comercial",
    "de Projetos",
    "de Qualidade",
    "de Operações",
    "Contábil",
];

pub(super) const JOB_POSITIONS: &[&str] = &[
    "Analista",
    "Gerente",
    "Coordenador",
    "Assistente",
    "Consultor",
    "Diretor",
    "Supervisor",
    "Especialista",
    "Engenheiro",
    "Técnico",
    "Desenvolvedor",
    "Auxiliar",
];

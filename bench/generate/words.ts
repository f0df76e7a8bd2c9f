/** Word lists for generated names. Invented for Gatehouse's generator; any mix of them is fictitious. */

export const FIRST_NAMES = [
  "ada", "amara", "anton", "aiko", "bea", "bruno", "carla", "chen", "dara", "diego", "elif", "emil", "farah", "felix",
  "greta", "hamid", "hana", "ines", "ivan", "jana", "joao", "kai", "kemal", "lara", "leon", "lina", "malik", "marta",
  "mei", "nadia", "nils", "noor", "olga", "omar", "paula", "pavel", "quinn", "rafael", "rosa", "sami", "sofia", "tariq",
  "tess", "ugo", "vera", "viktor", "wen", "yara", "yusuf", "zofia",
] as const;

export const LAST_NAMES = [
  "abara", "berg", "castell", "dahl", "eklund", "fontaine", "garza", "holm", "ishida", "jansen", "kaur", "lindqvist",
  "moreau", "nakamura", "okafor", "petrov", "quint", "rossi", "sato", "tanaka", "ulrich", "varga", "weber", "xu",
  "yilmaz", "zeller", "alvarez", "brandt", "costa", "duarte", "engel", "fischer", "gallo", "horvat", "iqbal", "jovanovic",
  "kowalski", "lund", "mensah", "novak", "oyelaran", "pereira", "ramos", "schmidt", "teller", "urban", "vogel", "wagner",
  "young", "zanetti",
] as const;

export const EMAIL_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com", "corp.example.org"] as const;

export const TIMEZONES = ["UTC", "Europe/Berlin", "Europe/London", "America/New_York", "America/Sao_Paulo", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney"] as const;

export const LANGUAGES = ["en", "en-GB", "de", "fr", "es", "pt-BR", "ja", "hi"] as const;

/** Resources of generated permissions: none of them is a resource of the seeded catalogue (users, roles, …). */
export const RESOURCES = [
  "invoices", "payments", "reports", "dashboards", "documents", "folders", "files", "comments", "tickets", "orders",
  "products", "customers", "contracts", "tasks", "milestones", "calendars", "events", "messages", "channels", "webhooks",
  "api_keys", "integrations", "billing", "subscriptions", "coupons", "inventory", "warehouses", "shipments", "suppliers",
  "vendors", "assets", "licenses", "devices", "networks", "domains", "certificates", "secrets", "deployments", "pipelines",
  "builds", "releases", "environments", "databases", "backups", "logs", "metrics", "alerts", "incidents", "surveys",
  "forms",
] as const;

export const ACTIONS = ["read", "create", "update", "delete", "list", "export", "import", "approve", "share", "archive"] as const;

/** Words for role and organisation names. */
export const ROLE_WORDS = [
  "editor", "reviewer", "approver", "operator", "analyst", "owner", "steward", "clerk", "lead", "coordinator", "agent",
  "planner", "maintainer", "observer", "controller", "champion",
] as const;

export const ORG_WORDS = [
  "north", "harbor", "maple", "granite", "silver", "cedar", "summit", "river", "orbit", "lantern", "falcon", "meadow",
  "quartz", "beacon", "willow", "copper", "prairie", "tidal", "ember", "atlas",
] as const;

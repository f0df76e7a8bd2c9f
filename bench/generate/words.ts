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

/** Words for generated example resources: projects, tasks, posts and comments. */
export const PROJECT_NOUNS = [
  "migration", "portal", "redesign", "rollout", "onboarding", "pipeline", "dashboard", "launch", "integration", "cleanup",
  "roadmap", "platform", "gateway", "analytics", "mobile app", "search", "billing revamp", "data warehouse", "intranet",
  "handbook",
] as const;

export const TASK_VERBS = [
  "fix", "write", "review", "update", "design", "test", "deploy", "document", "refactor", "investigate", "plan", "measure",
  "automate", "remove", "migrate", "draft",
] as const;

export const TASK_OBJECTS = [
  "the login page", "the release notes", "the import job", "error handling", "the onboarding mail", "the API docs",
  "the dashboard filters", "the nightly backup", "flaky tests", "the invoice template", "access reviews", "the retry logic",
  "the style guide", "search ranking", "the data export", "slow queries", "the settings page", "the alert thresholds",
  "the changelog", "the staging environment",
] as const;

export const TASK_LABELS = ["bug", "feature", "docs", "chore", "urgent", "backend", "frontend", "design", "ops", "security"] as const;

export const POST_TOPICS = [
  "What we learned", "A week of", "Notes on", "Why we moved to", "Five tips for", "Behind the scenes of", "Our approach to",
  "Lessons from", "A short guide to", "Thoughts on",
] as const;

export const POST_SUBJECTS = [
  "remote work", "code review", "incident response", "hiring", "on-call", "design systems", "accessibility", "testing",
  "release planning", "customer interviews", "documentation", "pair programming", "budgeting", "team rituals",
  "performance work",
] as const;

export const SENTENCE_STARTS = [
  "We tried", "The team agreed on", "Nobody expected", "It turns out that", "Next quarter we plan", "Most of the time goes into",
  "The hardest part was", "A small change to", "We keep coming back to", "Customers asked for",
] as const;

export const SENTENCE_ENDS = [
  "a simpler process.", "fewer meetings.", "better defaults.", "clearer ownership.", "shorter feedback loops.",
  "more automation.", "a written checklist.", "one source of truth.", "weekly demos.", "smaller batches.",
] as const;

export const COMMENT_PHRASES = [
  "Great write-up, thanks!", "We saw the same thing last year.", "Could you share the checklist?", "Agreed, especially the last part.",
  "How did you measure that?", "This matches our experience.", "Interesting, we went the other way.", "Bookmarked.",
  "Any plans for a follow-up?", "Thanks, this helped our team.",
] as const;

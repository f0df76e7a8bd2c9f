/** Every scenario, in the order `npm run bench` runs them. Add a new one here. */
import type { Scenario } from "../lib/types.ts";
import { loginScenario } from "./login.ts";
import { refusedLoginScenario } from "./refused-login.ts";
import { rateLimitScenario } from "./rate-limit.ts";
import { refreshScenario } from "./refresh.ts";
import { hasPermissionScenario } from "./has-permission.ts";
import { auditScenario } from "./audit.ts";
import { privacyLoginScenario, privacyProfileScenario } from "./privacy.ts";
import { userLookupScenario } from "./user-lookup.ts";
import { currentUserScenario } from "./current-user.ts";
import { auditQueriesScenario } from "./audit-queries.ts";
import { userListScenario } from "./user-list.ts";
import { userSearchScenario } from "./user-search.ts";
import { edgeScenario } from "./edge.ts";

export const SCENARIOS: readonly Scenario[] = [
  loginScenario,
  refusedLoginScenario,
  refreshScenario,
  rateLimitScenario,
  hasPermissionScenario,
  auditScenario,
  privacyProfileScenario,
  privacyLoginScenario,
  userLookupScenario,
  currentUserScenario,
  userListScenario,
  userSearchScenario,
  auditQueriesScenario,
  edgeScenario,
];

/**
 * privacy-profile and privacy-login: what encrypting personal data costs the two paths that touch it most.
 *
 * - privacy-profile: reading your profile over HTTP with the two encrypted fields (phone, date of birth: each an RSA
 *   decryption in the gateway, with the private key unwrapped from the key store and then cached) beside the same
 *   query without them.
 * - privacy-login: the `login` SQL function with its personal parts encrypted (the session's address and device, and
 *   the audit event's: pgp_pub_encrypt to the account's RSA key) beside the same login with every key made unavailable,
 *   so those parts are dropped instead (the switch is untimed, before each iteration).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { provisionKeys } from "../../src/privacy/provision.ts";
import { createUser, type TestUser } from "../../fixtures/users.ts";
import type { BenchEnvironment } from "../lib/environment.ts";
import type { Scenario } from "../lib/types.ts";

const PLAIN_PROFILE = "{ currentUser { rowId username email } }";
const ENCRYPTED_PROFILE = "{ currentUser { rowId username email phone dateOfBirth } }";
const LOGIN_SQL = "select session_id, refusal_code from app_public.login($1, $2)";
const REFRESH = `mutation ($token: String!) { refreshToken(input: { refreshToken: $token }) { result { accessToken } } }`;

/**
 * Accounts with keys of their own (about 0.1 s per key pair, untimed): made first, so they wait for a key as after a
 * registration with an empty spare pool, then keyed by name, ahead of any generated accounts that wait too.
 */
async function accountsWithKeys(env: BenchEnvironment, count: number): Promise<TestUser[]> {
  const users: TestUser[] = [];
  for (let i = 0; i < count; i++)
    users.push(await createUser(env.root, { password: `correct horse battery ${randomBytes(6).toString("hex")}` }));
  await provisionKeys(env.root, env.privacy.keystore, env.privacy.ring, {
    maxKeys: count,
    forUsers: users.map((u) => u.id),
  });
  const { rows } = await env.root.query<{ n: number }>(
    "select count(*)::integer as n from app_private.encryption_keys where user_id = any($1::uuid[]) and destroyed_at is null",
    [users.map((u) => u.id)],
  );
  if (rows[0]?.n !== count) throw new Error(`expected ${count} accounts with keys, found ${rows[0]?.n}`);
  return users;
}

export const privacyProfileScenario: Scenario = {
  name: "privacy-profile",
  title: "reading a profile with its encrypted fields against the same profile without them",
  description:
    "`{ currentUser { rowId username email phone dateOfBirth } }` over HTTP with a valid access token, the two last fields " +
    "stored only as OpenPGP ciphertext (AES-256, RSA-2048 session key) and decrypted by the gateway, beside " +
    "`{ currentUser { rowId username email } }` for the same account. The private key is unwrapped from the key store " +
    "once and then cached by the gateway (30 s), so the difference is the ciphertext lookups and two RSA decryptions.",
  async setup(env) {
    const [user] = await accountsWithKeys(env, 1);
    if (!user) throw new Error("no account");
    await env.root.query(
      `insert into app_private.user_personal_data (user_id, phone, phone_lookup, date_of_birth)
       values ($1, app_hidden.encrypt_personal($1, '+14155550100'), extensions.gen_random_bytes(32), app_hidden.encrypt_personal($1, '1984-04-04'))`,
      [user.id],
    );
    const { rows } = await env.root.query<{ token: string }>(
      `with s as (insert into app_private.sessions (user_id) values ($1) returning id)
       select app_private.issue_refresh_token(s.id, null) as token from s`,
      [user.id],
    );
    const refreshed = await env.graphql<{ refreshToken: { result: { accessToken: string } | null } | null }>(REFRESH, {
      token: rows[0]?.token,
    });
    const accessToken = refreshed.data?.refreshToken?.result?.accessToken;
    if (!accessToken) throw new Error(`could not get an access token: ${JSON.stringify(refreshed.errors)}`);
    const ask = async (query: string) => {
      const response = await fetch(`${env.gatewayUrl}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          authorization: `Bearer ${accessToken}`,
        },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as {
        data?: { currentUser?: { rowId: string; phone?: string; dateOfBirth?: string } };
      };
    };
    return {
      baseline: {
        name: "profile, clear fields only",
        description: `\`${PLAIN_PROFILE}\` over HTTP; the answer must name the account.`,
        transport: "HTTP",
        async run() {
          if ((await ask(PLAIN_PROFILE)).data?.currentUser?.rowId !== user.id) throw new Error("wrong or no profile");
        },
      },
      cases: [
        {
          name: "profile with phone and date of birth",
          description: `\`${ENCRYPTED_PROFILE}\` over HTTP; the answer must carry the decrypted values.`,
          transport: "HTTP",
          async run() {
            const me = (await ask(ENCRYPTED_PROFILE)).data?.currentUser;
            if (me?.phone !== "+14155550100" || me.dateOfBirth !== "1984-04-04")
              throw new Error(`not decrypted: ${JSON.stringify(me)}`);
          },
        },
      ],
      notes: [
        "Both queries run the same access-token check, live-session check and row-level security; the second adds two calls of " +
          "app_hidden.user_personal_ciphertext (each checks that the caller may read the account) and two OpenPGP decryptions " +
          "(openpgp.js: an RSA-2048 private-key operation and AES-256) in the gateway.",
      ],
    };
  },
};

export const privacyLoginScenario: Scenario = {
  name: "privacy-login",
  title: "an audited login with its personal parts encrypted against the same login with them dropped",
  description:
    "`select … from app_public.login($1, $2)` over one direct connection for an account with its own key: the session's " +
    "address and device and the audit event's personal part are each encrypted (pgp_pub_encrypt, AES-256 with an RSA-2048 " +
    "session key). The baseline is the same call for another such account while every encryption key is marked unavailable, " +
    "so app_hidden.encrypt_personal finds no key and the parts are dropped rather than stored (switched, untimed, before " +
    "each iteration). Both include the bcrypt check at the run's cost.",
  async setup(env) {
    const [encrypted, dropped] = await accountsWithKeys(env, 2);
    if (!encrypted || !dropped) throw new Error("no accounts");
    await env.root.query(
      "update config.system_settings set value = to_jsonb(max_value::integer) where key like 'rate_limit.%.max' and max_value is not null",
    );
    const direct = new pg.Client({ connectionString: env.urls.rootOnDatabase });
    await direct.connect();
    /* request.ip and request.user_agent as the gateway sets them, for the whole session (the SQL reads them per call). */
    await direct.query(
      "select set_config('request.ip', '203.0.113.50', false), set_config('request.user_agent', 'gatehouse-bench privacy-login', false)",
    );
    let hidden: string[] = [];
    const keysOn = async (): Promise<void> => {
      if (hidden.length === 0) return;
      await env.root.query(
        "update app_private.encryption_keys set destroyed_at = null where key_id = any($1::uuid[])",
        [hidden],
      );
      hidden = [];
    };
    const keysOff = async (): Promise<void> => {
      if (hidden.length > 0) return;
      const { rows } = await env.root.query<{ key_id: string }>(
        "update app_private.encryption_keys set destroyed_at = now() where destroyed_at is null returning key_id",
      );
      hidden = rows.map((r) => r.key_id);
    };
    const login = async (user: TestUser): Promise<void> => {
      const { rows } = await direct.query<{ session_id: string | null; refusal_code: string | null }>(LOGIN_SQL, [
        user.email,
        user.password,
      ]);
      if (!rows[0]?.session_id) throw new Error(`login refused: ${rows[0]?.refusal_code ?? "no row"}`);
    };
    return {
      baseline: {
        name: "login, personal parts dropped",
        description:
          "The login function with no encryption key available: the session and the event keep no address or device.",
        transport: "pg",
        beforeEach: keysOff,
        run: () => login(dropped),
      },
      cases: [
        {
          name: "login, personal parts encrypted",
          description:
            "The login function as it runs: the session's and the event's address and device encrypted to the account's key.",
          transport: "pg",
          beforeEach: keysOn,
          run: () => login(encrypted),
        },
      ],
      notes: [
        "Each login writes two ciphertexts (the session's origin, the audit event's personal part); pgcrypto's " +
          "pgp_pub_encrypt makes a random AES-256 session key, encrypts with it and wraps it with one RSA public-key " +
          "operation. The difference between the two rows is that work plus looking up the account's key twice.",
      ],
      async verify(iterations) {
        const { rows } = await env.root.query<{ subject_id: string; with_personal: number; without: number }>(
          `select subject_id, count(*) filter (where personal is not null)::integer as with_personal,
                  count(*) filter (where personal is null)::integer as without
           from audit.events where event_type = 'auth.login' and outcome = 'success' and subject_id = any($1::uuid[]) group by subject_id`,
          [[encrypted.id, dropped.id]],
        );
        const of = (id: string) => rows.find((r) => r.subject_id === id);
        if (of(encrypted.id)?.with_personal !== iterations || of(encrypted.id)?.without !== 0) {
          throw new Error(`the encrypted case's logins are not all encrypted: ${JSON.stringify(of(encrypted.id))}`);
        }
        if (of(dropped.id)?.without !== iterations || of(dropped.id)?.with_personal !== 0) {
          throw new Error(`the baseline's logins kept personal parts: ${JSON.stringify(of(dropped.id))}`);
        }
      },
      async teardown() {
        await keysOn();
        await direct.end();
      },
    };
  },
};

/**
 * A fuzz test of the GraphQL endpoint through the real gateway: a few thousand generated malformed requests (random
 * edits of real documents, hostile variables, broken JSON, wrong media types, oversized and batched bodies, documents
 * over every limit, several password operations, out-of-range pages), from a fixed seed so a failure replays. Every
 * answer must be a GraphQL response whose status follows the client's Accept header (application/json: 200;
 * application/graphql-response+json: 4xx exactly when there is no `data`), whose every error carries a documented
 * code other than INTRN, and whose messages show no SQL, stack, file path or internal name. Then /readyz is 200.
 */
import { describe, expect, it } from "vitest";
import { LIMIT_DOCUMENTS, doublingFragments } from "../../fixtures/graphqlDocuments.ts";
import { rngFor, type Rng } from "../../fixtures/generate/random.ts";
import { ERROR_CODES } from "../../src/graphql/errorCodes.ts";
import { useGateway } from "../helpers/gateway.ts";

const api = useGateway();

const SEED = 20261201;
const REQUESTS = 2_400;
const CONCURRENCY = 8;

interface Request {
  body: string | Uint8Array;
  contentType: string | null;
  accept: string | null;
  kind: string;
}

const LOGIN = `mutation ($identifier: String!, $password: String!) {
  login(input: { identifier: $identifier, password: $password }) { result { accessToken sessionId } }
}`;

/** Real documents with variables of the right types: the material the fuzzer breaks. */
const CORPUS: Array<{ query: string; variables: Record<string, unknown> }> = [
  { query: "{ serverTime }", variables: {} },
  { query: "{ currentUser { rowId username email emailVerified } }", variables: {} },
  {
    query: "query ($q: String!, $n: Int) { searchUsers(query: $q, first: $n) { totalCount nodes { username } } }",
    variables: { q: "ann", n: 5 },
  },
  { query: LOGIN, variables: { identifier: "nobody@example.test", password: "a long passphrase" } },
  {
    query: `mutation ($username: String!, $email: String!, $password: String!) {
      register(input: { username: $username, email: $email, password: $password }) { result { email verificationRequired } }
    }`,
    variables: { username: "fuzzer", email: "fuzzer@example.test", password: "a long passphrase for fuzz" },
  },
  {
    query:
      "query ($n: Int, $o: Int, $c: Cursor) { posts(first: $n, offset: $o, after: $c) { totalCount nodes { title } } }",
    variables: { n: 5, o: 0, c: null },
  },
  {
    query:
      'mutation ($v: JSON!) { setSystemSetting(input: { key: "auth.bcrypt_cost", value: $v }) { clientMutationId } }',
    variables: { v: 4 },
  },
  { query: "mutation ($t: String!) { verifyEmail(input: { token: $t }) { result { ok } } }", variables: { t: "x" } },
  {
    query: "mutation ($t: String!) { refreshToken(input: { refreshToken: $t }) { result { accessToken } } }",
    variables: { t: "abc" },
  },
  {
    query: "mutation ($e: String!) { requestPasswordReset(input: { email: $e }) { result { ok } } }",
    variables: { e: "someone@example.test" },
  },
  {
    query:
      "mutation ($t: String!, $p: String!) { resetPassword(input: { token: $t, newPassword: $p }) { result { ok } } }",
    variables: { t: "x", p: "another long passphrase" },
  },
  {
    query:
      "mutation ($i: String!, $p: String) { restoreAccount(input: { identifier: $i, password: $p }) { result { ok } } }",
    variables: { i: "someone", p: "x" },
  },
  {
    query: "query ($id: UUID!) { user(rowId: $id) { username } }",
    variables: { id: "00000000-0000-0000-0000-000000000000" },
  },
  { query: "{ __schema { queryType { name } types { name kind } } }", variables: {} },
  { query: "query Named { serverTime ...F } fragment F on Query { __typename }", variables: {} },
];

const GRAPHQL_SYMBOLS = '{}()[]:$@!.=|&"\\#,\n';
const ALPHABET = "abcdefghijklmnopqrstuvwxyzQM_0123456789 ";

function randomText(rng: Rng, length: number, alphabet = ALPHABET + GRAPHQL_SYMBOLS): string {
  let text = "";
  for (let i = 0; i < length; i++) text += alphabet[rng.int(alphabet.length)];
  return text;
}

/** A string a client should never send: NUL, lone surrogates, control characters, or simply too long. */
function hostileString(rng: Rng): string {
  switch (rng.int(7)) {
    case 0:
      return `a${"\u0000".repeat(rng.between(1, 3))}b`;
    case 1:
      return `x\ud800y`;
    case 2:
      return "\udfff";
    case 3:
      return "n".repeat(rng.pick([255, 256, 1_000, 5_000, 60_000]));
    case 4:
      return randomText(rng, rng.between(0, 40), "\u0001\u0007\u001f\u007f\u2028\ufeff\ufffe é😀");
    case 5:
      return "'; drop table app_public.users; --";
    default:
      return randomText(rng, rng.between(0, 30));
  }
}

function hostileValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 6 : 9)) {
    case 0:
      return hostileString(rng);
    case 1:
      return rng.pick([-1, 0, 2147483647, 2147483648, -2147483649, 1e308, -0.5, 3.14, Number.MAX_SAFE_INTEGER]);
    case 2:
      return rng.chance(0.5);
    case 3:
      return null;
    case 4:
      return rng.pick(["", "00000000-0000-0000-0000-000000000000", "not-a-uuid", "2026-13-45", "bm90IGEgY3Vyc29y"]);
    case 5:
      return randomText(rng, rng.between(0, 12));
    case 6:
      return Array.from({ length: rng.between(0, 4) }, () => hostileValue(rng, depth + 1));
    case 7:
      return Object.fromEntries(
        Array.from({ length: rng.between(0, 3) }, (_, i) => [`k${i}`, hostileValue(rng, depth + 1)]),
      );
    default: {
      const levels = rng.pick([20, 33, 100, 1_000]);
      return JSON.parse(`${"[".repeat(levels)}1${"]".repeat(levels)}`) as unknown;
    }
  }
}

/** One random edit of a document: a character deleted, inserted or replaced, a span repeated or cut. */
function mutate(rng: Rng, text: string): string {
  const at = rng.int(text.length + 1);
  switch (rng.int(5)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + randomText(rng, rng.between(1, 3)) + text.slice(at);
    case 2:
      return text.slice(0, at) + randomText(rng, 1) + text.slice(at + 1);
    case 3: {
      const end = Math.min(text.length, at + rng.between(1, 40));
      return text.slice(0, end) + text.slice(at, end).repeat(rng.between(1, 30)) + text.slice(end);
    }
    default:
      return text.slice(0, at);
  }
}

const json = (value: unknown): string => JSON.stringify(value);

function generate(rng: Rng): Request {
  const accept = rng.pick([
    "application/graphql-response+json",
    "application/json",
    "*/*",
    null,
    "application/json, application/graphql-response+json;q=0.9",
    "application/graphql-response+json, application/json;q=0.5",
    "text/html, application/json;q=0.1",
  ]);
  const base = rng.pick(CORPUS);
  const request = (kind: string, body: string | Uint8Array, contentType: string | null = "application/json") => ({
    kind,
    body,
    contentType,
    accept,
  });
  switch (rng.int(12)) {
    case 0:
    case 1:
    case 2: {
      let query = base.query;
      for (let i = rng.between(1, 4); i > 0; i--) query = mutate(rng, query);
      return request("edited document", json({ query, variables: base.variables }));
    }
    case 3:
    case 4: {
      const variables = Object.fromEntries(Object.keys(base.variables).map((name) => [name, hostileValue(rng)]));
      if (rng.chance(0.2)) variables[randomText(rng, 5, "abcxyz")] = hostileValue(rng);
      return request("hostile variables", json({ query: base.query, variables }));
    }
    case 5: {
      const valid = json({ query: base.query, variables: base.variables });
      const broken = rng.pick([
        () => valid.slice(0, rng.int(valid.length)),
        () => mutate(rng, valid),
        () => Buffer.from(Array.from({ length: rng.between(0, 64) }, () => rng.int(256))),
        () =>
          rng.pick(["", "null", "42", '"{ serverTime }"', "{", "[]", "[{}]", "{}", '{"query": null}', '{"query": {}}']),
        () => json({ query: base.query, variables: rng.pick([[1], "x", 3, true]) }),
        () => json({ query: base.query, operationName: rng.pick([1, {}, [], true, "NoSuchOperation"]) }),
        () => json({ query: base.query, extensions: rng.pick([1, "x", []]) }),
        () =>
          Buffer.concat([
            Buffer.from('{"query": "{ serverTime }", "x": "'),
            Buffer.from([0xc3, 0x28, 0xff]),
            Buffer.from('"}'),
          ]),
      ])();
      return request("broken body", broken);
    }
    case 6:
      return request(
        "batch",
        json(Array.from({ length: rng.between(0, 5) }, () => ({ query: rng.pick(CORPUS).query }))),
      );
    case 7:
      return request(
        "media type",
        rng.chance(0.5) ? json({ query: base.query }) : base.query,
        rng.pick([
          "text/plain",
          "application/graphql",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          null,
          "application/json; charset=latin1",
          "application/jsonp",
          "",
        ]),
      );
    case 8: {
      const shape = rng.pick(LIMIT_DOCUMENTS);
      const query = rng.pick([
        shape.refused,
        doublingFragments(rng.between(10, 60)),
        `{ ${"query { ".repeat(rng.between(21, 3_000))}serverTime${" }".repeat(rng.between(0, 3_000))} }`,
        `{ a: ${"[".repeat(rng.between(41, 5_000))} }`,
        `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`,
        `{ ${Array.from({ length: rng.between(31, 900) }, (_, i) => `a${i}: serverTime`).join(" ")} }`,
      ]);
      return request("over a limit", json({ query }));
    }
    case 9: {
      const logins = rng.between(2, 50);
      const query = `mutation { ${Array.from(
        { length: logins },
        (_, i) =>
          `a${i}: login(input: { identifier: "x${i}@example.test", password: "a long passphrase" }) { result { sessionId } }`,
      ).join(" ")} }`;
      return request("password operations", json({ query }));
    }
    case 10: {
      const argument = rng.pick(["first", "last", "offset"]);
      const value = rng.pick([-1, -2147483648, 101, 1_000, 10_001, 2147483647, 0, 100]);
      return request(
        "page arguments",
        json({ query: `query ($v: Int) { posts(${argument}: $v) { totalCount } }`, variables: { v: value } }),
      );
    }
    default:
      return request(
        "oversized body",
        json({ query: `{ serverTime } # ${"x".repeat(rng.between(102_400, 140_000))}` }),
      );
  }
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

async function send(url: string, request: Request): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (request.contentType !== null) headers["content-type"] = request.contentType;
  if (request.accept !== null) headers.accept = request.accept;
  const response = await fetch(`${url}/graphql`, { method: "POST", headers, body: request.body });
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    text: await response.text(),
  };
}

/** Which response type the gateway owes this Accept header (what Express's negotiation picks). */
function expectedType(accept: string | null): "application/graphql-response+json" | "application/json" {
  if (accept === null || accept === "*/*" || accept.startsWith("application/graphql-response+json")) {
    return "application/graphql-response+json";
  }
  return "application/json";
}

const KNOWN = new Set<string>(ERROR_CODES);

const LEAKS: RegExp[] = [
  /\bat \S+ \(?\S+:\d+:\d+\)?/, // a stack frame
  /node_modules|\/work\/|\/src\/|\.ts:\d|\.js:\d/,
  /\bapp_(private|hidden|public)\b|\b(audit|config)\.[a-z_]+/,
  /\bpg_[a-z_]+|plpgsql|SQLSTATE|syntax error at or near|relation "|column "|does not exist\b.*\(/i,
  /\bGrafast\b|PgSelect|PgClassExpression|Step\b|\bgrafserv\b/,
  /\$2[abxy]\$/,
];

/** What is wrong with an answer, or null. */
function problem(request: Request, answer: Answer): string | null {
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  const type = expectedType(request.accept);
  if (!answer.contentType.startsWith(type)) return `content type ${answer.contentType}, expected ${type}`;
  let body: { data?: unknown; errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }> };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    return "not JSON";
  }
  if (type === "application/json" && answer.status !== 200)
    return `HTTP ${answer.status} to an application/json client`;
  if (type === "application/graphql-response+json") {
    const refused = body.data === undefined;
    if (refused !== answer.status >= 400) return `HTTP ${answer.status} with data ${refused ? "absent" : "present"}`;
  }
  if (body.data === undefined && !body.errors?.length) return "neither data nor errors";
  for (const error of body.errors ?? []) {
    const code = error.extensions?.code;
    if (typeof code !== "string" || !KNOWN.has(code))
      return `error without a documented code: ${JSON.stringify(error)}`;
    if (code === "INTRN") return `INTRN: ${JSON.stringify(error)}`;
    if (typeof error.message !== "string" || error.message === "") return "error without a message";
    /* GraphQL may quote a value the client sent (an invalid variable): only what the request did not carry counts. */
    const sent = typeof request.body === "string" ? request.body : "";
    for (const pattern of LEAKS) {
      const found = new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`);
      for (const [match] of JSON.stringify(error).matchAll(found)) {
        if (!sent.includes(match)) return `leak (${pattern}): ${JSON.stringify(error)}`;
      }
    }
  }
  return null;
}

describe("the GraphQL endpoint under fuzzing", () => {
  it(`answers ${REQUESTS} malformed requests with coded errors, the right status and no internals, then is ready`, async () => {
    const rng = rngFor(SEED, "graphql-fuzz");
    const requests = Array.from({ length: REQUESTS }, () => generate(rng));
    const failures: string[] = [];
    const kinds = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const i = next++;
        const request = requests[i]!;
        kinds.set(request.kind, (kinds.get(request.kind) ?? 0) + 1);
        const answer = await send(api.gateway.url, request);
        const wrong = problem(request, answer);
        if (wrong && failures.length < 10) {
          const body = typeof request.body === "string" ? request.body : `<${request.body.length} bytes>`;
          failures.push(
            `#${i} (${request.kind}, accept ${request.accept}, content-type ${request.contentType}): ${wrong}\n` +
              `  sent: ${body.slice(0, 300)}\n  got: HTTP ${answer.status} ${answer.text.slice(0, 300)}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures, `seed ${SEED}`).toEqual([]);
    expect(kinds.size).toBe(9);

    const ready = await fetch(`${api.gateway.url}/readyz`);
    expect(ready.status).toBe(200);
  }, 120_000);
});

/**
 * Erasure by crypto-shredding, end to end through the gateway and the worker: a snapshot of the main database taken
 * before an erasure (standing in for an old backup) can no longer be read for the erased person once their keys are
 * destroyed, can still be read for everyone else, and holds none of the erased person's personal values in the clear
 * beyond the documented identifiers (email, username). The audit chain keeps verifying. In CI's PostgreSQL 15 run the
 * snapshot is a real pg_dump, restored.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { withClient } from "../../../src/db/client.ts";
import { withDatabase } from "../../../src/db/roles.ts";
import type { PrivacyKeys } from "../../../src/privacy/privacyKeys.ts";
import { bearer, errorCode, login, loginTokens, registerVerifiedUser, type LoginTokens } from "../../helpers/auth.ts";
import { useGateway } from "../../helpers/gateway.ts";
import { Inbox, runJobs } from "../../helpers/mail.ts";
import { openTestPrivacyKeys } from "../../helpers/privacy.ts";
import { inject } from "vitest";

const run = promisify(execFile);
const api = useGateway();
const inbox = await Inbox.create();
const snapshots: string[] = [];
afterAll(async () => {
  await inbox.remove();
  await withClient(inject("database").rootUrl, async (client) => {
    for (const name of snapshots) await client.query(`drop database if exists ${name} with (force)`);
  });
});

const CHANGE_PHONE = `mutation ($phone: String, $password: String!) { changePhone(input: { newPhone: $phone, password: $password }) { result { ok } } }`;
const SET_BIRTH = `mutation ($date: Date) { setDateOfBirth(input: { dateOfBirth: $date }) { result { ok } } }`;
const DELETE = `mutation ($password: String!, $immediate: Boolean) { deleteMyAccount(input: { password: $password, immediate: $immediate }) { result { ok } } }`;
const RESTORE = `mutation ($identifier: String!, $password: String!) { restoreAccount(input: { identifier: $identifier, password: $password }) { result { ok } } }`;

interface Person {
  email: string;
  password: string;
  tokens: LoginTokens;
  phone: string;
  birth: string;
  agent: string;
}

async function person(phone: string, birth: string, agent: string): Promise<Person> {
  const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
  const tokens = await loginTokens(api.client, user.email, user.password);
  const headers = { ...bearer(tokens.accessToken), "user-agent": agent };
  expect((await api.client.graphql(CHANGE_PHONE, { phone, password: user.password }, headers)).errors).toBeUndefined();
  expect((await api.client.graphql(SET_BIRTH, { date: birth }, headers)).errors).toBeUndefined();
  return { email: user.email, password: user.password, tokens, phone, birth, agent };
}

/**
 * A copy of the test database as it is now, as an old backup would hold it: a real pg_dump restored into a new
 * database where the server's client tools are at hand (CI's PostgreSQL 15 run), CREATE DATABASE … TEMPLATE
 * otherwise. Returns the copy and, for a dump, its text.
 */
async function snapshot(): Promise<{ pool: pg.Pool; dump: string | null }> {
  const name = `${api.db.name}_snap${snapshots.length}`;
  snapshots.push(name);
  const { rootUrl } = inject("database");
  const binDir = process.env.TEST_POSTGRES_BIN_DIR;
  let dump: string | null = null;
  if (binDir && existsSync(path.join(binDir, "pg_dump")) && existsSync(path.join(binDir, "psql"))) {
    const { stdout } = await run(path.join(binDir, "pg_dump"), ["--dbname", withDatabase(rootUrl, api.db.name)], {
      maxBuffer: 256 * 1024 * 1024,
    });
    dump = stdout;
    await withClient(rootUrl, (client) => client.query(`create database ${name}`));
    const file = path.join(os.tmpdir(), `${name}.sql`);
    await fs.writeFile(file, dump);
    try {
      await run(path.join(binDir, "psql"), [
        "--quiet",
        "--no-psqlrc",
        "-v",
        "ON_ERROR_STOP=1",
        "--dbname",
        withDatabase(rootUrl, name),
        "--file",
        file,
      ]);
    } finally {
      await fs.rm(file, { force: true });
    }
  } else {
    await withClient(rootUrl, async (client) => {
      /* A template must have no other sessions: the gateway's and the test's pools reconnect on their next query. */
      await client.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [api.db.name],
      );
      await client.query(`create database ${name} template ${api.db.name}`);
    });
  }
  const pool = new pg.Pool({ connectionString: withDatabase(rootUrl, name), max: 2 });
  pool.on("error", () => undefined);
  return { pool, dump };
}

/** The daily users__erase_due with the clock moved by `offset`, then the users__erase jobs it queued. */
async function dailyErasureRun(offset: string): Promise<void> {
  await api.db.root.query("select config.set_clock_offset($1::interval)", [offset]);
  try {
    await api.db.root.query("select graphile_worker.add_job('users__erase_due', '{}'::json)");
    await runJobs(api.db.urls.worker, inbox);
    await runJobs(api.db.urls.worker, inbox);
  } finally {
    await api.db.root.query("select config.set_clock_offset(interval '0')");
  }
}

/** Every row of every table, as text, that contains one of `needles`: table name and count. */
async function clearTextHits(pool: pg.Pool, needles: string[]): Promise<string[]> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')`,
  );
  const hits: string[] = [];
  for (const { name } of tables) {
    const { rows } = await pool.query<{ n: number }>(
      `select count(*)::int as n from ${name} t where t::text ilike any($1::text[])`,
      [needles.map((needle) => `%${needle}%`)],
    );
    if ((rows[0]?.n ?? 0) > 0) hits.push(`${name}: ${rows[0]!.n}`);
  }
  return hits;
}

async function personalValues(pool: pg.Pool, privacy: PrivacyKeys, userId: string) {
  const { rows } = await pool.query<{ phone: Buffer | null; date_of_birth: Buffer | null }>(
    "select phone, date_of_birth from app_private.user_personal_data where user_id = $1",
    [userId],
  );
  const { rows: events } = await pool.query<{ personal: Buffer }>(
    "select personal from audit.events where subject_id = $1 and personal is not null",
    [userId],
  );
  return {
    phone: await privacy.reader.decrypt(rows[0]?.phone),
    birth: await privacy.reader.decrypt(rows[0]?.date_of_birth),
    events: events.length,
    readableEvents: (await privacy.reader.decryptMany(events.map((e) => e.personal))).filter((v) => v !== null).length,
  };
}

describe("deleteMyAccount and erasure", () => {
  it(
    "shreds the erased person's data in an old snapshot, keeps everyone else's readable, and the chain verifies",
    { timeout: 120_000 },
    async () => {
      const erased = await person("+14155550777", "1979-03-04", "EraseMe-Agent/7.7 (snapshot test)");
      const kept = await person("+14155550888", "1981-02-03", "KeepMe-Agent/8.8 (snapshot test)");
      /* Notification jobs carry the request's address and device until they run: run them, as the worker would. */
      await runJobs(api.db.urls.worker, inbox);
      /* A superuser reading the tables sees no encrypted value in the clear, for anyone. */
      const secrets = (p: Person) => [p.phone.slice(1), p.birth, p.agent.split(" ")[0]!];
      expect(await clearTextHits(api.db.root, [...secrets(erased), ...secrets(kept)])).toEqual([]);
      const { pool: old, dump } = await snapshot();
      /* CI's PostgreSQL 15 run must take the pg_dump path. */
      if (process.env.TEST_POSTGRES_BIN_DIR) expect(dump).not.toBeNull();
      if (dump !== null) {
        /* Nor does a pg_dump of the main database. */
        expect(dump).toContain("COPY app_private.user_personal_data");
        for (const secret of [...secrets(erased), ...secrets(kept)]) expect(dump).not.toContain(secret);
      }
      const privacy = await openTestPrivacyKeys(api.db.urls.authenticator);
      try {
        /* Before erasure the snapshot reads for both. */
        expect(await personalValues(old, privacy, erased.tokens.user.rowId)).toMatchObject({
          phone: erased.phone,
          birth: erased.birth,
        });

        const deleted = await api.client.graphql(
          DELETE,
          { password: erased.password, immediate: true },
          bearer(erased.tokens.accessToken),
        );
        expect(deleted.errors).toBeUndefined();
        expect(errorCode(await login(api.client, erased.email, erased.password))).toBe("WRONG");
        await runJobs(api.db.urls.worker, inbox);

        /* The key store no longer holds the erased person's key; the live database is anonymised. */
        const { rows: keys } = await api.db.root.query<{ key_id: string; destroyed_at: Date | null }>(
          "select key_id, destroyed_at from app_private.encryption_keys where user_id = $1",
          [erased.tokens.user.rowId],
        );
        expect(keys).toHaveLength(1);
        expect(keys[0]!.destroyed_at).not.toBeNull();
        const stored = await privacy.keystore.pool.query("select 1 from wrapped_keys where key_id = $1", [
          keys[0]!.key_id,
        ]);
        expect(stored.rowCount).toBe(0);
        const { rows: live } = await api.db.root.query(
          "select email, username, first_name, erased_at from app_public.users where id = $1",
          [erased.tokens.user.rowId],
        );
        expect(live[0]).toMatchObject({
          email: expect.stringMatching(/@erased\.invalid$/),
          username: expect.stringMatching(/^erased_/),
        });
        expect(live[0]!.erased_at).not.toBeNull();
        const liveHits = await clearTextHits(api.db.root, [
          erased.email,
          erased.phone.slice(1),
          erased.birth,
          "EraseMe-Agent",
        ]);

        expect(liveHits).toEqual([]);

        /* The old snapshot, opened with today's key store and master key. */
        const shredded = await personalValues(old, privacy, erased.tokens.user.rowId);
        expect(shredded).toMatchObject({ phone: null, birth: null, readableEvents: 0 });
        expect(shredded.events).toBeGreaterThan(3);
        const other = await personalValues(old, privacy, kept.tokens.user.rowId);
        expect(other).toMatchObject({ phone: kept.phone, birth: kept.birth });
        expect(other.readableEvents).toBe(other.events);
        /* Nothing of the erased person in the clear in the snapshot but the identifiers kept until backups age out. */
        expect(await clearTextHits(old, [erased.phone.slice(1), erased.birth, "EraseMe-Agent"])).toEqual([]);

        /* Erasure edited no event: the chain, sealed over the ciphertext, still verifies. */
        await api.db.root.query("select graphile_worker.add_job('audit__seal', '{}'::json)");
        await runJobs(api.db.urls.worker, inbox);
        const { rows: sealed } = await api.db.root.query<{ n: number }>("select count(*)::int as n from audit.seals");
        expect(sealed[0]!.n).toBeGreaterThan(10);
        const { rows: broken } = await api.db.root.query("select * from audit.verify_chain()");
        expect(broken).toEqual([]);
      } finally {
        await privacy.close();
        await old.end();
      }
    },
  );

  it("can be undone within the grace period, and then lets the person log in again", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const tokens = await loginTokens(api.client, user.email, user.password);
    expect(errorCode(await api.client.graphql(DELETE, { password: "not it" }, bearer(tokens.accessToken)))).toBe(
      "WRONG",
    );
    expect(
      (await api.client.graphql(DELETE, { password: user.password }, bearer(tokens.accessToken))).errors,
    ).toBeUndefined();
    /* Logged out everywhere, and logging in is refused like any bad login. */
    const after = await api.client.graphql<{ currentUser: unknown }>(
      `{ currentUser { rowId } }`,
      {},
      bearer(tokens.accessToken),
    );
    expect(after.data?.currentUser ?? null).toBeNull();
    expect(errorCode(await login(api.client, user.email, user.password))).toBe("WRONG");
    /* The address stays reserved: registering it again answers as usual and creates nothing. */
    await api.client.graphql(
      `mutation ($e: String!) { register(input: { username: "someone_else_1", email: $e, password: "a long passphrase 123" }) { clientMutationId } }`,
      { e: user.email },
    );
    const { rows: same } = await api.db.root.query<{ n: number }>(
      "select count(*)::int as n from app_public.users where email = $1",
      [user.email],
    );
    expect(same[0]!.n).toBe(1);
    /* The worker's job is not due yet: nothing is erased. */
    await runJobs(api.db.urls.worker, inbox);
    const { rows: pending } = await api.db.root.query(
      "select erased_at, erasure_due_at from app_public.users where email = $1",
      [user.email],
    );
    expect(pending[0]).toMatchObject({ erased_at: null });
    expect(errorCode(await api.client.graphql(RESTORE, { identifier: user.email, password: "not it" }))).toBe("WRONG");
    expect(
      (await api.client.graphql(RESTORE, { identifier: user.email, password: user.password })).errors,
    ).toBeUndefined();
    expect((await login(api.client, user.email, user.password)).data?.login?.result?.accessToken).toBeTruthy();
    /* Restored: the pending erasure is gone too. */
    const { rows: jobs } = await api.db.root.query("select 1 from graphile_worker.jobs where key = $1", [
      `users__erase:${tokens.user.rowId}`,
    ]);
    expect(jobs).toEqual([]);
  });

  it("is carried out by the daily job once the grace period is over (clock moved)", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const tokens = await loginTokens(api.client, user.email, user.password);
    await api.client.graphql(DELETE, { password: user.password }, bearer(tokens.accessToken));
    /* Lose the queued job on purpose: the daily users__erase_due must find the account anyway. */
    await api.db.root.query("select graphile_worker.remove_job($1)", [`users__erase:${tokens.user.rowId}`]);
    await dailyErasureRun("91 days");
    const { rows } = await api.db.root.query("select erased_at from app_public.users where id = $1", [
      tokens.user.rowId,
    ]);
    expect(rows[0]!.erased_at).not.toBeNull();
    const { rows: events } = await api.db.root.query(
      "select 1 from audit.events where event_type = 'user.erase' and subject_id = $1",
      [tokens.user.rowId],
    );
    expect(events).toHaveLength(1);
  });

  it("erases an account whose retention date has passed, without any deletion request", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const tokens = await loginTokens(api.client, user.email, user.password);
    await api.db.root.query("update app_public.users set retention_until = current_date + 10 where id = $1", [
      tokens.user.rowId,
    ]);
    await api.db.root.query("select graphile_worker.add_job('users__erase_due', '{}'::json)");
    await runJobs(api.db.urls.worker, inbox);
    expect(
      (await api.db.root.query("select erased_at from app_public.users where id = $1", [tokens.user.rowId])).rows[0]!
        .erased_at,
    ).toBeNull();
    await dailyErasureRun("11 days");
    const { rows } = await api.db.root.query("select erased_at, email from app_public.users where id = $1", [
      tokens.user.rowId,
    ]);
    expect(rows[0]!.erased_at).not.toBeNull();
    expect(rows[0]!.email).toMatch(/@erased\.invalid$/);
    expect(errorCode(await login(api.client, user.email, user.password))).toBe("WRONG");
  });
});

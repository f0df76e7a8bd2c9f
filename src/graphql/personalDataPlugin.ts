/**
 * Personal data through GraphQL: the fields whose values PostgreSQL stores only as ciphertext, decrypted here with
 * keys the database never sees. Whether a caller may see a value is still decided in SQL (the ciphertext functions
 * apply the same rule as the row-level security of the row); this plugin only decrypts what SQL handed over, in one
 * batch per field per request. Clients get plain values, never ciphertext or keys.
 */
import { access, lambda, loadOne, type Step } from "postgraphile/grafast";
import { gql, extendSchema, wrapPlans } from "postgraphile/utils";
import { TYPES, type PgSelectSingleStep } from "postgraphile/@dataplan/pg";
import { sql } from "postgraphile/pg-sql2";
import type { PersonalDataReader } from "../privacy/personalData.ts";

type Ciphertext = Uint8Array | null | undefined;

export function makePersonalDataPlugin(reader: Pick<PersonalDataReader, "decryptMany">): GraphileConfig.Plugin {
  const decryptBatch = (values: readonly Ciphertext[]) => reader.decryptMany(values);
  const decryptJsonBatch = async (values: readonly Ciphertext[]) =>
    (await reader.decryptMany(values)).map((text) =>
      text === null ? null : (JSON.parse(text) as Record<string, unknown>),
    );

  /** The ciphertext of one personal field of the user row, as app_hidden.user_personal_ciphertext hands it over. */
  const userCiphertext = ($user: PgSelectSingleStep, field: "phone" | "date_of_birth") =>
    $user.select(
      sql`app_hidden.user_personal_ciphertext(${$user.getClassStep().alias}.id, ${sql.literal(field)})`,
      TYPES.bytea,
    );

  return extendSchema({
    typeDefs: gql`
      extend type User {
        """
        Your phone number in international format (E.164), or null. Stored only encrypted to your own key; change it with changePhone.
        """
        phone: String
        """
        Your date of birth, or null. Stored only encrypted to your own key; change it with setDateOfBirth.
        """
        dateOfBirth: String
      }
      extend type AuditEvent {
        """
        The client address of the request, or null (none, or the person it belonged to was erased). Stored encrypted.
        """
        clientIp: String
        """
        The user agent of the request, or null (none, or erased). Stored encrypted.
        """
        userAgent: String
        """
        Personal values the event recorded (changed personal fields, for example), or null. Stored encrypted.
        """
        personalValues: JSON
      }
      extend type SessionInfo {
        """
        The client address the session was opened from. Stored encrypted.
        """
        ip: String
        """
        The user agent the session was opened with. Stored encrypted.
        """
        userAgent: String
      }
      extend type SecuritySummary {
        """
        The client address of your last login. Stored encrypted.
        """
        lastLoginIp: String
      }
    `,
    objects: {
      User: {
        plans: {
          phone($user: PgSelectSingleStep) {
            return loadOne(userCiphertext($user, "phone"), decryptBatch);
          },
          dateOfBirth($user: PgSelectSingleStep) {
            return loadOne(userCiphertext($user, "date_of_birth"), decryptBatch);
          },
        },
      },
      AuditEvent: {
        plans: {
          clientIp($event: PgSelectSingleStep) {
            const $personal = loadOne($event.get("personal"), decryptJsonBatch);
            return lambda([access($personal, "ip"), $event.get("client_ip")], ([ip, legacy]) => ip ?? legacy ?? null);
          },
          userAgent($event: PgSelectSingleStep) {
            const $personal = loadOne($event.get("personal"), decryptJsonBatch);
            return lambda(
              [access($personal, "user_agent"), $event.get("user_agent")],
              ([ua, legacy]) => ua ?? legacy ?? null,
            );
          },
          personalValues($event: PgSelectSingleStep) {
            return access(loadOne($event.get("personal"), decryptJsonBatch), "values");
          },
        },
      },
      SessionInfo: {
        plans: {
          ip($session: PgSelectSingleStep) {
            return access(loadOne($session.get("personal"), decryptJsonBatch), "ip");
          },
          userAgent($session: PgSelectSingleStep) {
            return access(loadOne($session.get("personal"), decryptJsonBatch), "user_agent");
          },
        },
      },
      SecuritySummary: {
        plans: {
          lastLoginIp($summary: PgSelectSingleStep) {
            return access(loadOne($summary.get("last_login_from"), decryptJsonBatch), "ip");
          },
        },
      },
    },
  });
}

/** A JSON document whose encrypted values are {"$encrypted": base64}: each replaced by its plaintext (null if erased). */
export async function decryptDocument(
  reader: Pick<PersonalDataReader, "decryptMany">,
  document: unknown,
): Promise<unknown> {
  const markers: Array<{ holder: Record<string, unknown> | unknown[]; key: string | number; ciphertext: Buffer }> = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        isMarker(item) ? markers.push({ holder: value, key: i, ciphertext: fromMarker(item) }) : visit(item),
      );
    } else if (value && typeof value === "object") {
      const object = value as Record<string, unknown>;
      for (const [key, item] of Object.entries(object)) {
        if (isMarker(item)) markers.push({ holder: object, key, ciphertext: fromMarker(item) });
        else visit(item);
      }
    }
  };
  const copy = structuredClone(document);
  visit(copy);
  const plaintexts = await reader.decryptMany(markers.map((m) => m.ciphertext));
  markers.forEach(({ holder, key }, i) => {
    const text = plaintexts[i] ?? null;
    /* Personal parts are JSON objects; single fields (a phone number, a date) are text. */
    (holder as Record<string | number, unknown>)[key] = text !== null && text.startsWith("{") ? JSON.parse(text) : text;
  });
  return copy;
}

function isMarker(value: unknown): value is { $encrypted: string } {
  return (
    !!value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    typeof (value as { $encrypted?: unknown }).$encrypted === "string"
  );
}

function fromMarker(value: { $encrypted: string }): Buffer {
  return Buffer.from(value.$encrypted, "base64");
}

/** The export mutations' documents leave the gateway decrypted. */
export function makeExportDecryptionPlugin(reader: Pick<PersonalDataReader, "decryptMany">): GraphileConfig.Plugin {
  const decrypting = (plan: () => Step) => lambda(plan(), (document: unknown) => decryptDocument(reader, document));
  return wrapPlans({ DataExport: { document: decrypting } });
}

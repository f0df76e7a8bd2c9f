/**
 * Personal data through GraphQL: the fields whose values PostgreSQL stores only as ciphertext, decrypted here with
 * keys the database never sees. Whether a caller may see a value is still decided in SQL (the ciphertext functions
 * apply the same rule as the row-level security of the row); this plugin only decrypts what SQL handed over, in one
 * batch per field per request. Clients get plain values, never ciphertext or keys.
 */
import { access, lambda, loadOne } from "postgraphile/grafast";
import { gql, extendSchema } from "postgraphile/utils";
import { TYPES, type PgSelectSingleStep } from "postgraphile/@dataplan/pg";
import { sql } from "postgraphile/pg-sql2";
import type { PersonalDataReader } from "../keys/personalData.ts";

type Ciphertext = Uint8Array | null | undefined;

export function makePersonalDataPlugin(reader: Pick<PersonalDataReader, "decryptMany">): GraphileConfig.Plugin {
  const decryptBatch = (values: readonly Ciphertext[]) => reader.decryptMany(values);
  const decryptJsonBatch = async (values: readonly Ciphertext[]) =>
    (await reader.decryptMany(values)).map((text) => (text === null ? null : (JSON.parse(text) as Record<string, unknown>)));

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
            return lambda([access($personal, "user_agent"), $event.get("user_agent")], ([ua, legacy]) => ua ?? legacy ?? null);
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

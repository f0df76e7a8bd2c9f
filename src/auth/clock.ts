/**
 * The time the gateway checks token expiry against. In development and test it is the database's clock
 * (app_hidden.clock_now), so moving the test clock moves token expiry too; in production it is the machine's.
 */
import type { Pool } from "pg";
import type { Mode } from "../config.ts";

export type Clock = () => Promise<Date>;

export function makeClock(mode: Mode, pool: Pool): Clock {
  if (mode === "production") return async () => new Date();
  return async () => {
    const { rows } = await pool.query<{ now: Date }>("select app_hidden.clock_now() as now");
    return rows[0]?.now ?? new Date();
  };
}

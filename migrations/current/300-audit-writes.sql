/*
 * Cheaper audited writes (issue 17; the measured breakdown is in docs/performance.md, "Audited writes").
 *
 * 1. Row-change events are written by audit.tg__row_changes itself in one insert per statement, one row or many:
 *    audit.row_change_parts becomes a set-returning `language sql` function the planner inlines (it was a plpgsql call
 *    per row), the redacted keys are found once per statement (audit.secret_keys), the clock is read once per
 *    statement rather than by the occurred_at default of every row, and audit.record_row_changes (with its single-row
 *    detour through audit.record_event) goes. One event per row, with the same columns as before.
 * 2. app_hidden.encrypt_personal finds a person's key in one lookup and gives the same ciphertext again for the same
 *    value to the same key within a transaction (a login's session origin and its audit event, say).
 */
drop function if exists audit.record_row_changes(text, text, text, text[], jsonb[], jsonb[]);
/* The old row_change_parts returned one record (a plpgsql function); the new one returns a set: it cannot be replaced. */
drop function if exists audit.row_change_parts(text, jsonb, jsonb, text[]);

--!include functions/audit.secret_keys.sql
--!include functions/audit.row_change_parts.sql
--!include functions/audit.tg__row_changes.sql
--!include functions/app_hidden.encrypt_personal.sql

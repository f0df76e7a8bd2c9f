/**
 * The one-click unsubscribe link of marketing mail (RFC 8058), without signing in (docs/consent.md):
 *
 *   GET  /unsubscribe?token=…  a page with one button; a GET never unsubscribes, since mail scanners follow links
 *   POST /unsubscribe?token=…  unsubscribes: the mail client's one-click POST (body List-Unsubscribe=One-Click, to the
 *                              URL of the List-Unsubscribe header) or the page's button
 *
 * The POST runs app_hidden.unsubscribe as app_anonymous with the request context GraphQL requests get (request id,
 * client address, user agent), so the withdrawal and any refusal are audited like every other action. The token is
 * read from the query string only; request logs leave query strings out (server.ts).
 */
import type { Request, Response } from "express";
import type pg from "pg";
import { ROLES } from "../db/roles.ts";
import { requestContextSettings } from "./requestContext.ts";

interface Outcome {
  ok: boolean | null;
  refusal_code: string | null;
  refusal_message: string | null;
}

function tokenOf(req: Request): string {
  const token = req.query.token;
  return typeof token === "string" ? token : "";
}

function page(res: Response, status: number, title: string, paragraphs: string[], form?: string): void {
  res
    .status(status)
    .type("html")
    .set("cache-control", "no-store")
    .send(
      [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">',
        `<title>${title}</title></head><body>`,
        `<h1>${title}</h1>`,
        ...paragraphs.map((p) => `<p>${p}</p>`),
        ...(form ? [form] : []),
        "</body></html>",
      ].join("\n"),
    );
}

/** The confirmation page a link in the body of the mail opens. */
export function unsubscribePage(req: Request, res: Response): void {
  /* encodeURIComponent leaves no character that could end the attribute or start a tag. */
  const action = `/unsubscribe?token=${encodeURIComponent(tokenOf(req))}`;
  page(
    res,
    200,
    "Unsubscribe from product news",
    ["You will get no more product news from us. You do not need to sign in."],
    `<form method="post" action="${action}"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
      '<button type="submit">Unsubscribe</button></form>',
  );
}

/** The withdrawal itself. */
export function unsubscribe(pool: pg.Pool) {
  return async (req: Request, res: Response): Promise<void> => {
    const client = await pool.connect();
    let outcome: Outcome | undefined;
    try {
      await client.query("begin");
      await client.query("select set_config(key, value, true) from json_each_text($1)", [
        JSON.stringify({ role: ROLES.anonymous, ...requestContextSettings(req) }),
      ]);
      const { rows } = await client.query<Outcome>(
        "select ok, refusal_code, refusal_message from app_hidden.unsubscribe($1)",
        [tokenOf(req)],
      );
      await client.query("commit");
      outcome = rows[0];
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    if (outcome?.ok) {
      page(res, 200, "You are unsubscribed", [
        "You will get no more product news from us. To get it again, give your consent in your account.",
      ]);
      return;
    }
    page(res, 400, "This link does not work", [
      outcome?.refusal_message ?? "This unsubscribe link is not valid.",
      "To stop product news, sign in and withdraw your consent to marketing in your account.",
    ]);
  };
}

/**
 * One's own account: change the password (which ends one's other sessions), sign out everywhere (every
 * session of the account, this one too), list and revoke one's own API tokens. Open websockets signed in
 * by a revoked session or token are closed by the access watch.
 */

import { serialize as serializeCookie } from "cookie";
import type { Express, Request, Response } from "express";
import type { Identity } from "../auth.ts";
import { SESSION_COOKIE } from "../auth.ts";
import { type RouteDeps, refuse } from "./access.ts";
import { accountPage } from "./accountPage.ts";

export function accountRoutes(app: Express, deps: RouteDeps): void {
  const { auth, log } = deps;

  /** The caller and the token that signed them in, or null after answering 401. */
  const signedIn = async (req: Request, res: Response): Promise<Identity | null> => {
    const identity = await auth.identify(req);
    if (!identity) refuse(res, 401, "sign in to manage your account");
    return identity;
  };

  app.get("/account", async (req, res) => {
    const identity = await auth.identify(req);
    if (!identity) {
      res.redirect(303, "/login");
      return;
    }
    const tokens = (await auth.accounts.listTokens(identity.principal.id)).filter((t) => !t.revoked);
    res.type("html").send(accountPage(identity.principal, tokens));
  });

  app.post("/api/account/password", async (req, res) => {
    const identity = await signedIn(req, res);
    if (!identity) return;
    const { principal, token } = identity;
    const current = String(req.body?.current ?? "");
    const next = String(req.body?.password ?? "");
    const stored = await auth.accounts.getUserByName(principal.name);
    // An account made by `npx variorum user add` has no password yet: its first needs no current one.
    if (stored?.passwordHash && !(await auth.verifyPassword(principal.name, current)))
      return refuse(res, 403, `the current password of ${principal.name} is wrong; nothing was changed`);
    if (next.length < 10)
      return refuse(res, 400, "a password has at least 10 characters; nothing was changed");
    await auth.accounts.setPassword(principal.id, await auth.hashPassword(next));
    const ended = await auth.accounts.revokeUserTokens(
      principal.id,
      "session",
      token.kind === "session" ? token.id : undefined,
    );
    deps.revalidateAccess();
    log.info(`${principal.name} changed their password; ${ended} other session(s) ended`);
    res.json({ changed: true, otherSessionsEnded: ended });
  });

  app.post("/api/account/display-name", async (req, res) => {
    const identity = await signedIn(req, res);
    if (!identity) return;
    const { principal } = identity;
    const wanted = String(req.body?.displayName ?? "").trim();
    if (wanted === "" || wanted === principal.name) {
      await auth.accounts.setDisplayName(principal.id, null);
      return res.json({ displayName: principal.name });
    }
    // The same rule as sign-in names: no brackets or roles written into a name ("Clara (reviewer)").
    if (!/^[\p{L}\p{N} ._'-]{1,60}$/u.test(wanted))
      return refuse(
        res,
        400,
        `"${wanted}" is not a display name: 1 to 60 letters, digits, spaces, dots, dashes or apostrophes; nothing was changed`,
      );
    const other = await auth.accounts.findUserByAnyName(wanted);
    if (other && other.id !== principal.id)
      return refuse(res, 409, `"${wanted}" is the name of another account; nothing was changed`);
    await auth.accounts.setDisplayName(principal.id, wanted);
    log.info(`${principal.name} now shows as "${wanted}"`);
    res.json({ displayName: wanted });
  });

  app.post("/api/account/sign-out-everywhere", async (req, res) => {
    const identity = await signedIn(req, res);
    if (!identity) return;
    const ended = await auth.accounts.revokeUserTokens(identity.principal.id, "session");
    deps.revalidateAccess();
    log.info(`${identity.principal.name} signed out everywhere (${ended} session(s))`);
    res.setHeader(
      "Set-Cookie",
      serializeCookie(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 0 }),
    );
    res.json({ sessionsEnded: ended });
  });

  app.get("/api/account/tokens", async (req, res) => {
    const identity = await signedIn(req, res);
    if (!identity) return;
    res.json(
      (await auth.accounts.listTokens(identity.principal.id))
        .filter((t) => !t.revoked)
        .map((t) => ({ id: t.id, label: t.label, createdAt: t.createdAt, expiresAt: t.expiresAt })),
    );
  });

  app.delete("/api/account/tokens/:token", async (req, res) => {
    const identity = await signedIn(req, res);
    if (!identity) return;
    const id = Number(req.params.token);
    const token = Number.isInteger(id) ? await auth.accounts.getToken(id) : null;
    if (token?.kind !== "api" || token.userId !== identity.principal.id)
      return refuse(res, 404, `${identity.principal.name} has no API token ${req.params.token}`);
    if (!(await auth.accounts.revokeToken(id)))
      return refuse(res, 409, `API token ${id} was already revoked`);
    deps.revalidateAccess();
    log.info(`${identity.principal.name} revoked their API token ${id}`);
    res.json({ revoked: id });
  });
}

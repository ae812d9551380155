/**
 * Signing in and joining: the sign-in form and its throttling, a sign-in link's token, signing out, the
 * one-time link that makes the first visitor the owner, and invitations to an edition.
 */
import type { Express, Request, Response } from "express";
import type { Role } from "../accountStore.ts";
import type { Auth, Principal } from "../auth.ts";
import type { AsyncRateLimiter } from "../cluster/sharedRateLimit.ts";
import type { Log } from "../log.ts";
import { acceptInvitePage, accountForm, loginPage, refusalPage } from "../pages.ts";

export interface SignInDeps {
  auth: Auth;
  log: Log;
  /** Sign-in attempts per client address (shared by every server when they share a Redis). */
  signInLimiter: AsyncRateLimiter;
}

export function signInRoutes(app: Express, deps: SignInDeps): void {
  const { auth, log, signInLimiter } = deps;
  app.get("/login", async (req, res) => {
    const token = typeof req.query.token === "string" ? req.query.token : null;
    if (token) {
      const found = await auth.accounts.findToken(token, ["api"]);
      const user = found?.userId ? await auth.accounts.getUser(found.userId) : null;
      if (!user) {
        res
          .status(401)
          .type("html")
          .send(loginPage("That sign-in link is not valid (revoked, expired or mistyped)."));
        return;
      }
      res.setHeader("Set-Cookie", await auth.startSession(user));
      res.redirect(303, "/");
      return;
    }
    res.type("html").send(loginPage());
  });

  app.post("/login", async (req, res) => {
    const key = req.ip ?? "?";
    if (!(await signInLimiter.take(key))) {
      // req.ip: the client behind a trusted proxy (VARIORUM_TRUST_PROXY), else the socket's peer.
      log.warn(`refused a sign-in from ${key}: too many attempts`);
      res.setHeader("Retry-After", String(await signInLimiter.retryAfter(key)));
      res
        .status(429)
        .type("html")
        .send(loginPage("Too many sign-in attempts from here; wait a minute and try again."));
      return;
    }
    const name = String(req.body?.name ?? "");
    const password = String(req.body?.password ?? "");
    const user = name && password ? await auth.verifyPassword(name, password) : null;
    if (!user) {
      res.status(401).type("html").send(loginPage("Wrong name or password."));
      return;
    }
    res.setHeader("Set-Cookie", await auth.startSession(user));
    res.redirect(303, "/");
  });

  app.post("/logout", async (req, res) => {
    res.setHeader("Set-Cookie", await auth.endSession(req));
    res.redirect(303, "/");
  });

  /**
   * Creates an account from a posted name and password and signs it in; or answers with the form and
   * what is wrong, or with `refused` when the link can no longer be taken, and returns null. `take` uses
   * the link up (true when it was still good).
   */
  const newAccount = async (
    req: Request,
    res: Response,
    title: string,
    admin: boolean,
    take: () => Promise<boolean>,
    refused: () => void,
  ): Promise<Principal | null> => {
    const name = String(req.body?.name ?? "").trim();
    const password = String(req.body?.password ?? "");
    const problem = !/^[\p{L}\p{N} ._'-]{1,60}$/u.test(name)
      ? "a name is 1 to 60 letters, digits, spaces, dots, dashes or apostrophes"
      : password.length < 10
        ? "a password has at least 10 characters"
        : (await auth.accounts.getUserByName(name))
          ? `the name "${name}" is taken`
          : null;
    if (problem) {
      res
        .status(400)
        .type("html")
        .send(accountForm(title, req.originalUrl, "", problem));
      return null;
    }
    const passwordHash = await auth.hashPassword(password);
    // The link is used up only now, in one statement: of two forms sent with it at once (or, for the
    // claim, with two servers' links), one makes the account and the other is told the link is used.
    // Checked only before the hashing, both would pass and make two accounts (two owners).
    if (!(await take())) {
      refused();
      return null;
    }
    const user = await auth.accounts.createUser(name, passwordHash, admin);
    res.setHeader("Set-Cookie", await auth.startSession(user));
    return user;
  };

  /**
   * Whether a claim link is still good (its token valid, and nobody has an account yet); answers 404 and
   * resolves false when it is not.
   */
  const claimable = async (token: string, res: Response) => {
    if ((await auth.accounts.findToken(token, ["claim"])) && (await auth.accounts.countUsers()) === 0)
      return true;
    claimRefused(res);
    return false;
  };
  const claimRefused = (res: Response) =>
    res
      .status(404)
      .type("html")
      .send(refusalPage(404, "This link has been used or has expired.", true));

  app.get("/claim/:token", async (req, res) => {
    if (!(await claimable(req.params.token, res))) return;
    res
      .type("html")
      .send(
        accountForm(
          "Become the owner",
          req.originalUrl,
          "This one-time link makes you the owner of this Variorum: you manage people and every edition.",
        ),
      );
  });

  app.post("/claim/:token", async (req, res) => {
    if (!(await claimable(req.params.token, res))) return;
    const user = await newAccount(
      req,
      res,
      "Become the owner",
      true,
      async () => (await auth.accounts.revokeKind("claim")) > 0,
      () => claimRefused(res),
    );
    if (!user) return;
    log.info(`"${user.name}" claimed ownership of this Variorum`);
    res.redirect(303, "/");
  });

  /** The invitation a link carries, or null after answering that it is used, revoked or expired. */
  const validInvite = async (
    req: Request,
    res: Response,
  ): Promise<{ id: number; editionId: string; role: Role } | null> => {
    const invite = await auth.accounts.findToken(String(req.params.token), ["invite"]);
    if (!invite?.editionId || !invite.role) {
      inviteRefused(res);
      return null;
    }
    return { id: invite.id, editionId: invite.editionId, role: invite.role };
  };

  const inviteRefused = (res: Response) =>
    res
      .status(404)
      .type("html")
      .send(refusalPage(404, "This invitation has been used, revoked or has expired.", false));

  app.get("/invite/:token", async (req, res) => {
    const invite = await validInvite(req, res);
    if (!invite) return;
    const principal = await auth.principal(req);
    if (principal)
      res.type("html").send(acceptInvitePage(principal, req.originalUrl, invite.editionId, invite.role));
    else {
      res
        .type("html")
        .send(
          accountForm(
            "Join the edition",
            req.originalUrl,
            `You are invited to work on "${invite.editionId}" as ${invite.role}. Already have an account? Sign in first, then open this link again.`,
          ),
        );
    }
  });

  app.post("/invite/:token", async (req, res) => {
    const invite = await validInvite(req, res);
    if (!invite) return;
    const take = () => auth.accounts.revokeToken(invite.id);
    const signedIn = await auth.principal(req);
    // An invitation is used once: by whoever takes it first, when two accept it at once.
    if (signedIn && !(await take())) return void inviteRefused(res);
    const user =
      signedIn ?? (await newAccount(req, res, "Join the edition", false, take, () => inviteRefused(res)));
    if (!user) return;
    await auth.accounts.setRole(user.id, invite.editionId, invite.role);
    res.redirect(303, `/editions/${encodeURIComponent(invite.editionId)}`);
  });
}

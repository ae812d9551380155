/**
 * Who is asking: sessions (an httpOnly, SameSite cookie), API tokens (`Authorization: Bearer`, or
 * `?token=` on the websocket URL), passwords (argon2id), the one-time link that makes the first visitor
 * the owner, and invitations. Roles per edition are looked up here; what each role may do is in
 * permissions.ts.
 */
import type { IncomingMessage } from "node:http";
import argon2 from "argon2";
import { parse as parseCookies, serialize as serializeCookie } from "cookie";
import type { Role, TokenRecord, UserRecord } from "./accountStore.ts";
import type { AsyncAccountStore } from "./store/asyncStore.ts";
import type { EditionRecord } from "./store.ts";

export const SESSION_COOKIE = "variorum_session";
const SESSION_DAYS = 14;

/** A signed-in person. */
export type Principal = UserRecord;

/** A signed-in person and the session or API token a request carried. */
export interface Identity {
  principal: Principal;
  token: TokenRecord;
}

export interface AuthOptions {
  /** Mark cookies Secure (behind HTTPS). */
  secureCookies?: boolean;
}

export class Auth {
  constructor(
    readonly accounts: AsyncAccountStore,
    private readonly options: AuthOptions = {},
  ) {}

  /** The principal of a request: its session cookie, its bearer token, or its `?token=` parameter. */
  async principal(req: IncomingMessage): Promise<Principal | null> {
    return (await this.identify(req))?.principal ?? null;
  }

  /**
   * The principal of a request and the token that proved it (a session or an API token): what an open
   * websocket keeps, so that revoking that token ends it.
   */
  async identify(req: IncomingMessage): Promise<Identity | null> {
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      return m ? this.fromToken(m[1] as string, ["api"]) : null;
    }
    const query = new URL(req.url ?? "/", "http://localhost").searchParams.get("token");
    if (query) return this.fromToken(query, ["api"]);
    const session = parseCookies(req.headers.cookie ?? "")[SESSION_COOKIE];
    return session ? this.fromToken(session, ["session"]) : null;
  }

  /** Whether the request was authenticated by its cookie (and so needs an Origin check on writes). */
  usesCookie(req: IncomingMessage): boolean {
    return !req.headers.authorization && !!parseCookies(req.headers.cookie ?? "")[SESSION_COOKIE];
  }

  private async fromToken(clear: string, kinds: ("api" | "session")[]): Promise<Identity | null> {
    const token = await this.accounts.findToken(clear, kinds);
    const principal = token?.userId ? await this.accounts.getUser(token.userId) : null;
    return token && principal ? { principal, token } : null;
  }

  /** A person's role in an edition: the instance owner owns all; a published edition is readable by all. */
  async roleFor(principal: Principal | null, edition: EditionRecord): Promise<Role | null> {
    if (principal?.admin) return "owner";
    const role = principal ? await this.accounts.getRole(principal.id, edition.id) : null;
    if (role) return role;
    return edition.published ? "reader" : null;
  }

  /** Checks a name and password; returns the user or null (the same answer for either being wrong). */
  async verifyPassword(name: string, password: string): Promise<UserRecord | null> {
    const user = await this.accounts.getUserByName(name);
    if (!user?.passwordHash) {
      // Spend the same time as a real check, so that timing does not tell which names exist.
      await argon2.hash(password, { type: argon2.argon2id });
      return null;
    }
    return (await argon2.verify(user.passwordHash, password)) ? user : null;
  }

  hashPassword(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  /** Starts a session; returns the Set-Cookie header value. */
  async startSession(user: UserRecord): Promise<string> {
    const expiresAt = Date.now() + SESSION_DAYS * 86_400_000;
    const clear = await this.accounts.createToken({
      kind: "session",
      userId: user.id,
      editionId: null,
      role: null,
      label: "browser session",
      expiresAt,
    });
    return serializeCookie(SESSION_COOKIE, clear, {
      httpOnly: true,
      sameSite: "lax",
      secure: this.options.secureCookies ?? false,
      path: "/",
      maxAge: SESSION_DAYS * 86_400,
    });
  }

  /** Ends the session of a request; returns the Set-Cookie header value that clears the cookie. */
  async endSession(req: IncomingMessage): Promise<string> {
    const session = parseCookies(req.headers.cookie ?? "")[SESSION_COOKIE];
    const token = session ? await this.accounts.findToken(session, ["session"]) : null;
    if (token) await this.accounts.revokeToken(token.id);
    return serializeCookie(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 0 });
  }

  /**
   * Adds a person (without a password) or finds them, gives them a role in an edition, and returns a new
   * API token: what `npx variorum user add` prints.
   */
  async addUserWithToken(
    name: string,
    editionId: string,
    role: Role,
  ): Promise<{ user: UserRecord; token: string }> {
    const user =
      (await this.accounts.getUserByName(name)) ?? (await this.accounts.createUser(name, null, false));
    await this.accounts.setRole(user.id, editionId, role);
    const token = await this.accounts.createToken({
      kind: "api",
      userId: user.id,
      editionId: null,
      role: null,
      label: `token for ${name}`,
      expiresAt: null,
    });
    return { user, token };
  }

  /**
   * A one-time link token that makes its visitor the instance's owner; only while there is no account.
   * Earlier links stay good until one is used (which revokes them all) or they expire: the servers of
   * a cluster each print one at start, and revoking the others' made every link but the last one dead.
   */
  async claimToken(): Promise<string | null> {
    if ((await this.accounts.countUsers()) > 0) return null;
    return this.accounts.createToken({
      kind: "claim",
      userId: null,
      editionId: null,
      role: null,
      label: "first owner",
      expiresAt: Date.now() + 7 * 86_400_000,
    });
  }
}

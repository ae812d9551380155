/**
 * Revocation for open websockets: what each socket was granted at the door is checked again whenever the
 * store's access epoch moves (a membership, token, user or publication changed — in this process or in
 * another one writing the same file, such as `npx variorum user revoke`), before every message a socket
 * sends and every `intervalMs` for quiet sockets. A socket that lost its access, or whose role was
 * lowered, is closed with 4403 and the reason; one whose role was raised is re-scoped in place.
 */
import { ROLES, type Role } from "./accountStore.ts";
import type { Auth, Principal } from "./auth.ts";
import { CloseCode } from "./closeCodes.ts";
import type { Log } from "./log.ts";
import { can } from "./permissions.ts";
import type { AsyncStore } from "./store/asyncStore.ts";

/** What a websocket was granted at the door. */
export interface Grant {
  editionId: string;
  /** The session or API token that signed it in; null for an anonymous reader of a published edition. */
  tokenId: number | null;
  userName: string | null;
  role: Role;
  /** The access epoch when the role was looked up. */
  epoch: number;
}

/** What the watch needs of an open connection. */
export interface Guarded {
  readonly id: number;
  readonly grant: Grant;
  /** Gives the connection a new (higher) role without closing it. */
  rescope(role: Role): void;
  /** Ends the connection with 4403 and a reason. */
  revoke(reason: string): void;
  /** Ends the connection with a close code and a reason. */
  close(code: number, reason: string): void;
}

type Verdict = { ok: true; role: Role } | { ok: false; reason: string };

export interface AccessWatchOptions {
  /** How often open sockets' access is looked at, in ms. */
  intervalMs?: number;
  /**
   * How long a read of the access epoch is trusted before a message, in ms: 0 reads it before every
   * message (SQLite: a local read); a networked store reads it at most this often, and changes made on
   * another server also arrive through `revalidate()` (the Redis bus).
   */
  epochCacheMs?: number;
}

export class AccessWatch {
  private readonly open = new Set<Guarded>();
  private epoch: number | null = null;
  private epochReadAt = 0;
  private reading: Promise<number> | null = null;
  /** The earliest time a token of an open connection expires. */
  private nextExpiry = Number.POSITIVE_INFINITY;
  private readonly timer: NodeJS.Timeout;
  private readonly epochCacheMs: number;
  /** Re-checks run one after another: a second waits for the first, then looks again. */
  private revalidating: Promise<boolean> = Promise.resolve(true);
  /** The re-check started for an epoch not yet taken as seen: later checks of that epoch wait for it. */
  private inFlight: { epoch: number; done: Promise<boolean> } | null = null;

  constructor(
    private readonly store: AsyncStore,
    private readonly auth: Auth,
    private readonly log: Log,
    options: AccessWatchOptions = {},
  ) {
    this.epochCacheMs = options.epochCacheMs ?? 0;
    this.timer = setInterval(() => {
      if (this.open.size > 0) void this.check(true);
    }, options.intervalMs ?? 250);
    this.timer.unref();
  }

  /** Reads the store's access epoch, one read at a time however many ask. */
  private readEpoch(): Promise<number> {
    this.reading ??= this.store.accessEpoch().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  /** The current access epoch, to put in a grant before the role is looked up. */
  currentEpoch(): Promise<number> {
    return this.readEpoch();
  }

  /** Watches a connection; checks it at once if access changed since its grant was made. */
  async add(connection: Guarded): Promise<void> {
    this.open.add(connection);
    const epoch = await this.readEpoch();
    if (connection.grant.epoch !== epoch) await this.checkOne(connection, new Map());
    if (this.open.has(connection)) await this.noteExpiry(connection.grant);
  }

  remove(connection: Guarded): void {
    this.open.delete(connection);
  }

  /**
   * Re-checks the open connections if access changed since the last look; one read when it did not.
   * `fresh` reads the epoch even if the last read is recent. Resolves false when access could not be
   * checked (the store did not answer): a message must then not be applied.
   */
  async check(fresh = false): Promise<boolean> {
    let epoch: number;
    if (!fresh && this.epoch !== null && Date.now() - this.epochReadAt < this.epochCacheMs)
      epoch = this.epoch;
    else {
      try {
        epoch = await this.readEpoch();
        this.epochReadAt = Date.now();
      } catch (error) {
        // A store that cannot be read (closing at shutdown, a failing disk, PostgreSQL unreachable) must
        // not crash the process; no update is stored without it either.
        this.log.error(`access epoch cannot be read: ${(error as Error).message}`);
        return false;
      }
    }
    if (epoch === this.epoch && Date.now() < this.nextExpiry) {
      // A re-check may still be on its way through the connections: nobody passes before it is done.
      return this.revalidating;
    }
    if (this.inFlight?.epoch === epoch) return this.inFlight.done;
    // The epoch counts as seen only once every connection was checked against it: a re-check that
    // failed (the store did not answer) is made again at the next look.
    const done = this.revalidate().then((ok) => {
      if (ok) this.epoch = epoch;
      return ok;
    });
    this.inFlight = { epoch, done };
    try {
      return await done;
    } finally {
      if (this.inFlight?.done === done) this.inFlight = null;
    }
  }

  /**
   * Re-checks every open connection now: what a route calls after changing who may do what, and what
   * another server's notice of a change triggers (the store's triggers move the epoch anyway).
   */
  revalidate(): Promise<boolean> {
    // Whoever asks knows access changed: the next message reads the epoch again rather than trust a recent read.
    this.epochReadAt = 0;
    const run = this.revalidating.then(() => this.revalidateNow());
    this.revalidating = run.then(
      () => true,
      (error: Error) => {
        this.log.error(`re-checking open connections' access failed: ${error.message}`);
        return false;
      },
    );
    return this.revalidating;
  }

  private async revalidateNow(): Promise<void> {
    this.nextExpiry = Number.POSITIVE_INFINITY;
    const verdicts = new Map<string, Verdict>();
    for (const connection of [...this.open]) {
      if (!this.open.has(connection)) continue;
      try {
        await this.checkOne(connection, verdicts);
        if (this.open.has(connection)) await this.noteExpiry(connection.grant);
      } catch (error) {
        // The store cannot say: this socket goes (it may reconnect, and is checked again at the door);
        // the others are still checked, and the epoch can move on.
        this.open.delete(connection);
        this.log.error(
          `access of connection ${connection.id} cannot be checked: ${(error as Error).message}`,
        );
        connection.close(CloseCode.storageFailure, "access cannot be checked now: the store does not answer");
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.open.clear();
  }

  private async checkOne(connection: Guarded, verdicts: Map<string, Verdict>): Promise<void> {
    const grant = connection.grant;
    const key = `${grant.tokenId}\u0000${grant.editionId}`;
    let verdict = verdicts.get(key);
    if (!verdict) {
      verdict = await this.verdict(grant);
      verdicts.set(key, verdict);
    }
    if (!this.open.has(connection)) return;
    if (!verdict.ok) {
      this.open.delete(connection);
      this.log.info(`connection ${connection.id}: ${verdict.reason}`);
      connection.revoke(verdict.reason);
      return;
    }
    const now = rank(verdict.role);
    const was = rank(grant.role);
    if (now < was) {
      this.open.delete(connection);
      const who = grant.userName ?? "this visitor";
      const reason = `access changed: ${who} is now ${verdict.role} of "${grant.editionId}" (was ${grant.role}); reload`;
      this.log.info(`connection ${connection.id}: ${reason}`);
      connection.revoke(reason);
    } else if (now > was) {
      this.log.info(
        `connection ${connection.id}: ${grant.userName} is now ${verdict.role} of "${grant.editionId}"`,
      );
      connection.rescope(verdict.role);
    }
  }

  /** What the grant's holder may do now, or why they may no longer read. */
  private async verdict(grant: Grant): Promise<Verdict> {
    const edition = await this.store.getEdition(grant.editionId);
    if (!edition)
      return { ok: false, reason: `access revoked: edition "${grant.editionId}" no longer exists` };
    let principal: Principal | null = null;
    if (grant.tokenId !== null) {
      const token = await this.auth.accounts.getToken(grant.tokenId);
      const what = token?.kind === "session" ? "session" : "API token";
      const whose = grant.userName ?? "?";
      if (!token || token.revoked)
        return { ok: false, reason: `access revoked: the ${what} of ${whose} was revoked` };
      if (token.expiresAt !== null && token.expiresAt <= Date.now())
        return { ok: false, reason: `access revoked: the ${what} of ${whose} expired` };
      principal = token.userId !== null ? await this.auth.accounts.getUser(token.userId) : null;
      if (!principal) return { ok: false, reason: `access revoked: the account ${whose} no longer exists` };
    }
    const role = await this.auth.roleFor(principal, edition);
    if (!role || !can(role, "read")) {
      return {
        ok: false,
        reason: principal
          ? `access revoked: ${principal.name} is no longer a member of "${edition.id}"`
          : `access revoked: "${edition.id}" is no longer published; sign in to open it`,
      };
    }
    return { ok: true, role };
  }

  private async noteExpiry(grant: Grant): Promise<void> {
    if (grant.tokenId === null) return;
    const expiresAt = (await this.auth.accounts.getToken(grant.tokenId))?.expiresAt ?? null;
    if (expiresAt !== null && expiresAt < this.nextExpiry) this.nextExpiry = expiresAt;
  }
}

/** Higher for a role that may do more. */
function rank(role: Role): number {
  return ROLES.length - ROLES.indexOf(role);
}

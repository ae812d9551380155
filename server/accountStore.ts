/**
 * Accounts in SQLite: users, their role in each edition, and tokens (sessions, API tokens, invitations,
 * the first-owner claim). Tokens are random and stored only as SHA-256 hashes; passwords only as argon2id
 * hashes (made in auth.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import type Database from "better-sqlite3";

export const ROLES = ["owner", "editor", "reviewer", "reader"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export interface UserRecord {
  id: number;
  /** The sign-in name. */
  name: string;
  /** The name others see: on a cursor, a comment, a decision, the history (the sign-in name unless set). */
  displayName: string;
  /** The instance's owner (the first account): owner of every edition. */
  admin: boolean;
  createdAt: number;
}

export type TokenKind = "session" | "api" | "invite" | "claim";

export interface TokenRecord {
  id: number;
  kind: TokenKind;
  userId: number | null;
  editionId: string | null;
  role: Role | null;
  label: string;
  createdAt: number;
  expiresAt: number | null;
  revoked: boolean;
}

export interface AccountStore {
  countUsers(): number;
  createUser(name: string, passwordHash: string | null, admin: boolean): UserRecord;
  getUser(id: number): UserRecord | null;
  getUserByName(name: string): (UserRecord & { passwordHash: string | null }) | null;
  setPassword(userId: number, passwordHash: string): void;
  /** Sets the name others see; null goes back to the sign-in name. */
  setDisplayName(userId: number, displayName: string | null): void;
  /** The account whose sign-in name or display name this is (case-insensitive), if any. */
  findUserByAnyName(name: string): UserRecord | null;
  setRole(userId: number, editionId: string, role: Role | null): void;
  getRole(userId: number, editionId: string): Role | null;
  members(editionId: string): { user: UserRecord; role: Role }[];
  /** Creates a token and returns it in clear: the only time it exists unhashed. */
  createToken(token: Omit<TokenRecord, "id" | "createdAt" | "revoked">): string;
  /** The valid token (right kind, not revoked, not expired) that this clear text hashes to. */
  findToken(clear: string, kinds: readonly TokenKind[]): TokenRecord | null;
  revokeToken(id: number): boolean;
  /** A token by id, whatever its state (revoked and expired ones too). */
  getToken(id: number): TokenRecord | null;
  /**
   * Revokes every token of a kind still good (every claim link, once one is used) and returns how many it
   * revoked: one statement, so of two requests at once only one sees more than none.
   */
  revokeKind(kind: TokenKind): number;
  listTokens(userId: number): TokenRecord[];
  /** The invitations to an edition that can still be used (not revoked, not expired). */
  listInvites(editionId: string): TokenRecord[];
  /** Revokes a person's tokens of one kind, except one (the session making the request); returns how many. */
  revokeUserTokens(userId: number, kind: TokenKind, exceptId?: number): number;
  /** Removes an edition's memberships and invitations (when the edition is deleted). */
  forgetEdition(editionId: string): void;
}

export function hashToken(clear: string): string {
  return createHash("sha256").update(clear).digest("hex");
}

/**
 * A users row as either database gives it: SQLite's integers for flags and times, PostgreSQL's booleans
 * and bigints (which `pg` reads as strings).
 */
export interface UserRow {
  id: number;
  name: string;
  display_name: string | null;
  admin: number | boolean;
  created_at: number | string;
  password_hash: string | null;
}

/** A tokens row as either database gives it (see `UserRow`). */
export interface TokenRow {
  id: number;
  kind: TokenKind;
  user_id: number | null;
  edition_id: string | null;
  role: Role | null;
  label: string;
  created_at: number | string;
  expires_at: number | string | null;
  revoked: number | boolean;
}

/** A user as the store hands it out. */
export const userRecord = (r: UserRow): UserRecord => ({
  id: r.id,
  name: r.name,
  displayName: r.display_name ?? r.name,
  admin: r.admin === 1 || r.admin === true,
  createdAt: Number(r.created_at),
});

/** A token as the store hands it out (never its secret). */
export const tokenRecord = (r: TokenRow): TokenRecord => ({
  id: r.id,
  kind: r.kind,
  userId: r.user_id,
  editionId: r.edition_id,
  role: r.role,
  label: r.label,
  createdAt: Number(r.created_at),
  expiresAt: r.expires_at === null ? null : Number(r.expires_at),
  revoked: r.revoked === 1 || r.revoked === true,
});

/** The accounts of a store whose schema `migrations.ts` has brought up to date. */
export function sqliteAccounts(db: Database.Database): AccountStore {
  const q = {
    count: db.prepare("SELECT COUNT(*) AS n FROM users"),
    insertUser: db.prepare("INSERT INTO users (name, password_hash, admin, created_at) VALUES (?, ?, ?, ?)"),
    userById: db.prepare("SELECT * FROM users WHERE id = ?"),
    userByName: db.prepare("SELECT * FROM users WHERE name = ?"),
    setPassword: db.prepare("UPDATE users SET password_hash = ? WHERE id = ?"),
    setDisplayName: db.prepare("UPDATE users SET display_name = ? WHERE id = ?"),
    userByAnyName: db.prepare(
      "SELECT * FROM users WHERE name = @n COLLATE NOCASE OR display_name = @n COLLATE NOCASE LIMIT 1",
    ),
    setRole: db.prepare(
      "INSERT INTO memberships (user_id, edition_id, role) VALUES (?, ?, ?) ON CONFLICT (user_id, edition_id) DO UPDATE SET role = excluded.role",
    ),
    dropRole: db.prepare("DELETE FROM memberships WHERE user_id = ? AND edition_id = ?"),
    getRole: db.prepare("SELECT role FROM memberships WHERE user_id = ? AND edition_id = ?"),
    members: db.prepare(
      "SELECT u.*, m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.edition_id = ? ORDER BY u.name",
    ),
    insertToken: db.prepare(
      "INSERT INTO tokens (hash, kind, user_id, edition_id, role, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    tokenByHash: db.prepare("SELECT * FROM tokens WHERE hash = ?"),
    tokenById: db.prepare("SELECT * FROM tokens WHERE id = ?"),
    revoke: db.prepare("UPDATE tokens SET revoked = 1 WHERE id = ? AND revoked = 0"),
    revokeKind: db.prepare("UPDATE tokens SET revoked = 1 WHERE kind = ? AND revoked = 0"),
    tokensOf: db.prepare("SELECT * FROM tokens WHERE user_id = ? AND kind = 'api' ORDER BY id"),
    invitesOf: db.prepare(
      "SELECT * FROM tokens WHERE kind = 'invite' AND edition_id = ? AND revoked = 0 AND (expires_at IS NULL OR expires_at >= ?) ORDER BY id",
    ),
    revokeUserKind: db.prepare(
      "UPDATE tokens SET revoked = 1 WHERE user_id = ? AND kind = ? AND id != ? AND revoked = 0",
    ),
    dropMemberships: db.prepare("DELETE FROM memberships WHERE edition_id = ?"),
    dropInvites: db.prepare("DELETE FROM tokens WHERE kind = 'invite' AND edition_id = ?"),
  };
  return {
    countUsers: () => (q.count.get() as { n: number }).n,
    createUser: (name, passwordHash, admin) => {
      const id = Number(q.insertUser.run(name, passwordHash, admin ? 1 : 0, Date.now()).lastInsertRowid);
      return userRecord(q.userById.get(id) as UserRow);
    },
    getUser: (id) => {
      const r = q.userById.get(id) as UserRow | undefined;
      return r ? userRecord(r) : null;
    },
    getUserByName: (name) => {
      const r = q.userByName.get(name) as UserRow | undefined;
      return r ? { ...userRecord(r), passwordHash: r.password_hash } : null;
    },
    setPassword: (userId, hash) => void q.setPassword.run(hash, userId),
    setDisplayName: (userId, displayName) => void q.setDisplayName.run(displayName, userId),
    findUserByAnyName: (name) => {
      const row = q.userByAnyName.get({ n: name }) as UserRow | undefined;
      return row ? userRecord(row) : null;
    },
    setRole: (userId, editionId, role) => {
      if (role === null) q.dropRole.run(userId, editionId);
      else q.setRole.run(userId, editionId, role);
    },
    getRole: (userId, editionId) => {
      const r = q.getRole.get(userId, editionId) as { role: string } | undefined;
      return r && isRole(r.role) ? r.role : null;
    },
    members: (editionId) =>
      (q.members.all(editionId) as (UserRow & { role: Role })[]).map((r) => ({
        user: userRecord(r),
        role: r.role,
      })),
    createToken: (t) => {
      const clear = randomBytes(24).toString("base64url");
      q.insertToken.run(
        hashToken(clear),
        t.kind,
        t.userId,
        t.editionId,
        t.role,
        t.label,
        Date.now(),
        t.expiresAt,
      );
      return clear;
    },
    findToken: (clear, kinds) => {
      if (!clear || clear.length > 200) return null;
      const r = q.tokenByHash.get(hashToken(clear)) as TokenRow | undefined;
      if (!r) return null;
      const t = tokenRecord(r);
      if (t.revoked || !kinds.includes(t.kind) || (t.expiresAt !== null && t.expiresAt < Date.now()))
        return null;
      return t;
    },
    revokeToken: (id) => q.revoke.run(id).changes > 0,
    getToken: (id) => {
      const r = q.tokenById.get(id) as TokenRow | undefined;
      return r ? tokenRecord(r) : null;
    },
    revokeKind: (kind) => q.revokeKind.run(kind).changes,
    listTokens: (userId) => (q.tokensOf.all(userId) as TokenRow[]).map(tokenRecord),
    listInvites: (editionId) => (q.invitesOf.all(editionId, Date.now()) as TokenRow[]).map(tokenRecord),
    revokeUserTokens: (userId, kind, exceptId = -1) => q.revokeUserKind.run(userId, kind, exceptId).changes,
    forgetEdition: (editionId) => {
      q.dropMemberships.run(editionId);
      q.dropInvites.run(editionId);
    },
  };
}

/**
 * Accounts in PostgreSQL, as `../accountStore.ts` keeps them in SQLite: users (names unique whatever
 * their case), their role in each edition, and tokens, stored only as the hashes `hashToken` makes.
 */
import { randomBytes } from "node:crypto";
import {
  hashToken,
  isRole,
  type Role,
  type TokenRow,
  tokenRecord,
  type UserRow,
  userRecord,
} from "../accountStore.ts";
import type { AsyncAccountStore } from "./asyncStore.ts";
import { isInt4, type Queryable } from "./postgresClient.ts";

/** The accounts of a database that `postgresMigrations.ts` has brought up to date. */
export function postgresAccounts(db: Queryable): AsyncAccountStore {
  const users = async (sql: string, params: unknown[]) => (await db.query<UserRow>(sql, params)).rows;
  const tokens = async (sql: string, params: unknown[]) =>
    (await db.query<TokenRow>(sql, params)).rows.map(tokenRecord);
  return {
    countUsers: async () =>
      Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM users")).rows[0]?.n),
    createUser: async (name, passwordHash, admin) => {
      const [r] = await users(
        "INSERT INTO users (name, password_hash, admin, created_at) VALUES ($1, $2, $3, $4) RETURNING *",
        [name, passwordHash, admin, Date.now()],
      );
      if (!r) throw new Error(`user "${name}" was not created`);
      return userRecord(r);
    },
    getUser: async (id) => {
      if (!isInt4(id)) return null;
      const [r] = await users("SELECT * FROM users WHERE id = $1", [id]);
      return r ? userRecord(r) : null;
    },
    getUserByName: async (name) => {
      const [r] = await users("SELECT * FROM users WHERE lower(name) = lower($1)", [name]);
      return r ? { ...userRecord(r), passwordHash: r.password_hash } : null;
    },
    setPassword: async (userId, hash) => {
      await db.query("UPDATE users SET password_hash = $1 WHERE id = $2", [hash, userId]);
    },
    setDisplayName: async (userId, displayName) => {
      await db.query("UPDATE users SET display_name = $1 WHERE id = $2", [displayName, userId]);
    },
    findUserByAnyName: async (name) => {
      const [r] = await users(
        "SELECT * FROM users WHERE lower(name) = lower($1) OR lower(display_name) = lower($1) ORDER BY id LIMIT 1",
        [name],
      );
      return r ? userRecord(r) : null;
    },
    setRole: async (userId, editionId, role) => {
      if (role === null)
        await db.query("DELETE FROM memberships WHERE user_id = $1 AND edition_id = $2", [userId, editionId]);
      else
        await db.query(
          "INSERT INTO memberships (user_id, edition_id, role) VALUES ($1, $2, $3) ON CONFLICT (user_id, edition_id) DO UPDATE SET role = excluded.role",
          [userId, editionId, role],
        );
    },
    getRole: async (userId, editionId) => {
      const { rows } = await db.query<{ role: string }>(
        "SELECT role FROM memberships WHERE user_id = $1 AND edition_id = $2",
        [userId, editionId],
      );
      const role = rows[0]?.role;
      return isRole(role) ? role : null;
    },
    members: async (editionId) =>
      (
        await db.query<UserRow & { role: Role }>(
          // SQLite orders by its NOCASE name column: here by the name folded the same way.
          "SELECT u.*, m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.edition_id = $1 ORDER BY lower(u.name), u.id",
          [editionId],
        )
      ).rows.map((r) => ({ user: userRecord(r), role: r.role })),
    createToken: async (t) => {
      const clear = randomBytes(24).toString("base64url");
      await db.query(
        "INSERT INTO tokens (hash, kind, user_id, edition_id, role, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [hashToken(clear), t.kind, t.userId, t.editionId, t.role, t.label, Date.now(), t.expiresAt],
      );
      return clear;
    },
    findToken: async (clear, kinds) => {
      if (!clear || clear.length > 200) return null;
      const [t] = await tokens("SELECT * FROM tokens WHERE hash = $1", [hashToken(clear)]);
      if (!t) return null;
      if (t.revoked || !kinds.includes(t.kind) || (t.expiresAt !== null && t.expiresAt < Date.now()))
        return null;
      return t;
    },
    revokeToken: async (id) =>
      isInt4(id) &&
      ((await db.query("UPDATE tokens SET revoked = TRUE WHERE id = $1 AND NOT revoked", [id])).rowCount ??
        0) > 0,
    getToken: async (id) =>
      isInt4(id) ? ((await tokens("SELECT * FROM tokens WHERE id = $1", [id]))[0] ?? null) : null,
    revokeKind: async (kind) =>
      (await db.query("UPDATE tokens SET revoked = TRUE WHERE kind = $1 AND NOT revoked", [kind])).rowCount ??
      0,
    listTokens: (userId) =>
      tokens("SELECT * FROM tokens WHERE user_id = $1 AND kind = 'api' ORDER BY id", [userId]),
    listInvites: (editionId) =>
      tokens(
        "SELECT * FROM tokens WHERE kind = 'invite' AND edition_id = $1 AND NOT revoked AND (expires_at IS NULL OR expires_at >= $2) ORDER BY id",
        [editionId, Date.now()],
      ),
    revokeUserTokens: async (userId, kind, exceptId = -1) =>
      (
        await db.query(
          "UPDATE tokens SET revoked = TRUE WHERE user_id = $1 AND kind = $2 AND id <> $3 AND NOT revoked",
          [userId, kind, exceptId],
        )
      ).rowCount ?? 0,
    forgetEdition: async (editionId) => {
      await db.query("DELETE FROM memberships WHERE edition_id = $1", [editionId]);
      await db.query("DELETE FROM tokens WHERE kind = 'invite' AND edition_id = $1", [editionId]);
    },
  };
}

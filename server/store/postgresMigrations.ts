/**
 * The PostgreSQL store's schema versions, as `../migrations.ts` is SQLite's: an ordered list, the version
 * kept in a table. Several servers may start at once against one database: each migrates under a
 * transaction-scoped advisory lock, so one of them runs a step and the others find it done.
 */
import type pg from "pg";

export interface PostgresMigration {
  version: number;
  summary: string;
  sql: string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    summary:
      "editions, documents with a per-document update sequence, update log, attribution, seeded editions",
    sql: `
      CREATE TABLE editions (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at BIGINT NOT NULL, published BOOLEAN NOT NULL DEFAULT FALSE
      );
      CREATE TABLE documents (
        name TEXT PRIMARY KEY, snapshot BYTEA, snapshot_seq BIGINT NOT NULL DEFAULT 0,
        -- The last sequence number given to an update of this document: taken under the row's lock, so
        -- that per document the order of sequence numbers is the order of commits, on every server.
        last_seq BIGINT NOT NULL DEFAULT 0
      );
      CREATE TABLE updates (
        doc TEXT NOT NULL REFERENCES documents (name) ON DELETE CASCADE, seq BIGINT NOT NULL, data BYTEA NOT NULL,
        PRIMARY KEY (doc, seq)
      );
      CREATE TABLE changes (
        doc TEXT NOT NULL REFERENCES documents (name) ON DELETE CASCADE, seq BIGINT NOT NULL, "user" TEXT,
        at BIGINT NOT NULL, bytes INTEGER NOT NULL, summary JSONB, PRIMARY KEY (doc, seq)
      );
      CREATE TABLE seeded (id TEXT PRIMARY KEY, at BIGINT NOT NULL);
    `,
  },
];

/** The advisory-lock key under which migrations run (any fixed number unlikely to collide). */
const MIGRATION_LOCK = 0x76617269;

/** Brings the database to the newest schema version; returns the steps this call ran. */
export async function migratePostgres(client: pg.PoolClient): Promise<PostgresMigration[]> {
  const ran: PostgresMigration[] = [];
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      "CREATE TABLE IF NOT EXISTS variorum_schema (version INTEGER PRIMARY KEY, summary TEXT NOT NULL, at BIGINT NOT NULL)",
    );
    const { rows } = await client.query<{ v: number | null }>(
      "SELECT max(version) AS v FROM variorum_schema",
    );
    const current = rows[0]?.v ?? 0;
    const newest = POSTGRES_MIGRATIONS.at(-1)?.version ?? 0;
    if (current > newest)
      throw new Error(
        `the database is at schema version ${current}, newer than this Variorum's ${newest}: update Variorum`,
      );
    for (const m of POSTGRES_MIGRATIONS) {
      if (m.version <= current) continue;
      await client.query(m.sql);
      await client.query("INSERT INTO variorum_schema (version, summary, at) VALUES ($1, $2, $3)", [
        m.version,
        m.summary,
        Date.now(),
      ]);
      ran.push(m);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
  return ran;
}

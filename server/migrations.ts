/**
 * The store's schema versions: an ordered list of migrations, the store's version kept in SQLite's
 * `PRAGMA user_version`. Opening a store runs, in one transaction each, the migrations it has not had;
 * a store written by a newer Variorum is refused before anything is touched.
 */
import type Database from "better-sqlite3";

/** One step of the schema: what it does (for the log) and the statements that do it. */
export interface Migration {
  version: number;
  summary: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    // What stores held before versions were counted (user_version 0): the statements are idempotent,
    // so such a store and an empty file both arrive at version 1 with their rows untouched.
    summary: "editions, documents, update log, attribution, accounts, named versions",
    sql: `
      CREATE TABLE IF NOT EXISTS editions (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at INTEGER NOT NULL, published INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS documents (
        name TEXT PRIMARY KEY, snapshot BLOB, snapshot_seq INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS updates_doc ON updates (doc, seq);
      CREATE TABLE IF NOT EXISTS changes (
        seq INTEGER PRIMARY KEY, doc TEXT NOT NULL, user TEXT, at INTEGER NOT NULL, bytes INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS changes_doc ON changes (doc, seq);
      CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT, admin INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS memberships (
        user_id INTEGER NOT NULL, edition_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (user_id, edition_id)
      );
      CREATE TABLE IF NOT EXISTS tokens (
        id INTEGER PRIMARY KEY AUTOINCREMENT, hash TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, user_id INTEGER,
        edition_id TEXT, role TEXT, label TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL,
        expires_at INTEGER, revoked INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS versions (
        id INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, label TEXT NOT NULL, created_by TEXT,
        created_at INTEGER NOT NULL, state BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS versions_doc ON versions (doc, id);
    `,
  },
  {
    version: 2,
    // A counter every change of who may do what moves, by whichever process makes it (the command line
    // writes the same file): a server compares one integer to learn that open sockets need re-checking.
    summary: "access epoch: a counter moved by every change of memberships, tokens, users, publication",
    sql: `
      CREATE TABLE access_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
      INSERT INTO access_epoch (id, n) VALUES (1, 0);
      CREATE TRIGGER access_memberships_insert AFTER INSERT ON memberships
        BEGIN UPDATE access_epoch SET n = n + 1; END;
      CREATE TRIGGER access_memberships_update AFTER UPDATE ON memberships
        BEGIN UPDATE access_epoch SET n = n + 1; END;
      CREATE TRIGGER access_memberships_delete AFTER DELETE ON memberships
        BEGIN UPDATE access_epoch SET n = n + 1; END;
      CREATE TRIGGER access_tokens_update AFTER UPDATE OF revoked, expires_at, user_id, kind ON tokens
        BEGIN UPDATE access_epoch SET n = n + 1; END;
      CREATE TRIGGER access_tokens_delete AFTER DELETE ON tokens
        BEGIN UPDATE access_epoch SET n = n + 1; END;
      CREATE TRIGGER access_users_update AFTER UPDATE OF admin ON users
        BEGIN UPDATE access_epoch SET n = n + 1; END;
      CREATE TRIGGER access_users_delete AFTER DELETE ON users
        BEGIN UPDATE access_epoch SET n = n + 1; END;
      CREATE TRIGGER access_editions_update AFTER UPDATE OF published ON editions
        BEGIN UPDATE access_epoch SET n = n + 1; END;
      CREATE TRIGGER access_editions_delete AFTER DELETE ON editions
        BEGIN UPDATE access_epoch SET n = n + 1; END;
    `,
  },
  {
    version: 3,
    // What each change did, in words (schema/changeSummary.ts), kept beside its attribution: the update
    // bytes themselves are folded into snapshots by compaction, the summary stays for the history.
    summary: "a readable summary of each change",
    sql: "ALTER TABLE changes ADD COLUMN summary TEXT;",
  },
  {
    version: 4,
    // Which edition folders were ever seeded into this store: a deleted edition stays deleted at the next
    // start, though its folder is still in editions/. Editions already here count as seeded.
    summary: "the editions seeded from editions/, so that a deleted one is not seeded again",
    sql: `
      CREATE TABLE seeded (id TEXT PRIMARY KEY, at INTEGER NOT NULL);
      INSERT OR IGNORE INTO seeded (id, at) SELECT id, created_at FROM editions;
    `,
  },
  {
    version: 5,
    // The name others see (on a cursor, a comment, a decision, the history), set on the account page;
    // the account's sign-in name stays what it was. Null: the sign-in name.
    summary: "display names",
    sql: "ALTER TABLE users ADD COLUMN display_name TEXT;",
  },
  {
    version: 6,
    // The page images of witnesses (the files are content-addressed under <data>/media/).
    summary: "page images of witnesses",
    sql: `
      CREATE TABLE pages (
        edition_id TEXT NOT NULL, siglum TEXT NOT NULL, n INTEGER NOT NULL, hash TEXT NOT NULL,
        kind TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, label TEXT,
        added_by TEXT, added_at INTEGER NOT NULL, PRIMARY KEY (edition_id, siglum, n)
      );
    `,
  },
  {
    version: 7,
    // Pages that are references to images elsewhere (a IIIF manifest's canvases, a TEI facsimile's
    // graphics): their URL, their IIIF Image API service if any, and the manifest they came from.
    summary: "pages as references to external images",
    sql: "ALTER TABLE pages ADD COLUMN url TEXT; ALTER TABLE pages ADD COLUMN service TEXT; ALTER TABLE pages ADD COLUMN source TEXT;",
  },
];

/** The schema version this code writes. */
export const SCHEMA_STORE_VERSION = (MIGRATIONS[MIGRATIONS.length - 1] as Migration).version;

/** A store this code cannot open: written by a newer Variorum. */
export class StoreVersionError extends Error {}

/** The store's schema version (0 for a store from before versions were counted, or a new file). */
export function storeVersion(db: Database.Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/**
 * Brings a store to `SCHEMA_STORE_VERSION`; returns the migrations it ran. Refuses a newer store with a
 * message saying what to do, before changing anything.
 */
export function migrate(
  db: Database.Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Migration[] {
  const latest = (migrations[migrations.length - 1] as Migration).version;
  const current = storeVersion(db);
  if (current > latest) {
    throw new StoreVersionError(
      `the store ${file} has schema version ${current}, newer than this Variorum's ${latest}: it was written by a newer release; run that release (or restore a backup taken with this one) — nothing was changed`,
    );
  }
  const ran: Migration[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    // Each step and its version number in one transaction: a failed step leaves the previous version.
    // The version is read again under the write lock: another process may have migrated meanwhile.
    const done = db
      .transaction(() => {
        if (storeVersion(db) >= m.version) return false;
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
        return true;
      })
      .immediate();
    if (done) ran.push(m);
  }
  return ran;
}

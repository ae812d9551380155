/**
 * Durable storage of editions and their documents, behind a small interface. The SQLite implementation
 * keeps, per document, one snapshot and a log of updates appended since; `compact` replaces both with a
 * new snapshot that the caller encoded from a document holding only updates that applied successfully
 * (never by merging stored bytes: yjs issue 687 makes `mergeUpdatesV2` spin forever on a crafted input).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { ChangeSummary } from "../schema/changeSummary.ts";
import { type AccountStore, sqliteAccounts } from "./accountStore.ts";
import { type PageStore, sqlitePages } from "./media/pageStore.ts";
import { type Migration, migrate } from "./migrations.ts";
import { sqliteVersions, type VersionStore } from "./versionStore.ts";

export interface EditionRecord {
  id: string;
  title: string;
  createdAt: number;
  published: boolean;
}

/** One stored change: who sent it and when (the update bytes themselves may be compacted away). */
export interface ChangeRecord {
  seq: number;
  doc: string;
  user: string | null;
  at: number;
  bytes: number;
  /** What the change did; null for changes stored before summaries were kept. */
  summary: ChangeSummary | null;
}

/** One update to append, with who made it and what it changed (the history's record). */
export interface Append {
  update: Uint8Array;
  user: string | null;
  summary?: ChangeSummary | null;
}

/** One stored update, or the snapshot that replaced the updates up to `seq` (`snapshot: true`). */
export interface StoredUpdate {
  seq: number;
  data: Uint8Array;
  snapshot?: true;
}

export interface StoredDocument {
  /** The snapshot first (if any), then every update appended since, in order. */
  updates: Uint8Array[];
  /** Sequence number of the last stored update, for `compact`. */
  lastSeq: number;
}

/** What the server needs of storage. */
export interface Store {
  listEditions(): EditionRecord[];
  getEdition(id: string): EditionRecord | null;
  /** Registers an edition with the first state of its text document, atomically. */
  createEdition(edition: { id: string; title: string }, docName: string, snapshot: Uint8Array): void;
  /** Whether an edition of this id was ever seeded from `editions/` into this store (even if deleted since). */
  wasSeeded(id: string): boolean;
  markSeeded(id: string): void;
  setPublished(id: string, published: boolean): void;
  setTitle(id: string, title: string): void;
  /** The names of an edition's documents: its text and its witnesses' transcriptions. */
  editionDocuments(id: string): string[];
  /**
   * Deletes an edition with its documents, their updates, changes and named versions, its memberships and
   * invitations, in one transaction; nothing of any other edition is touched.
   */
  deleteEdition(id: string): void;
  hasDocument(name: string): boolean;
  /** Creates a document with its first state; false if one of that name exists already. */
  createDocument(name: string, snapshot: Uint8Array): boolean;
  load(name: string): StoredDocument;
  /**
   * Updates stored after `seq` (by any process), in order. When a compaction folded some of them into
   * the snapshot, that snapshot comes first (with its sequence number), then the updates after it: what
   * a copy that has seen up to `seq` lacks is in what is returned either way.
   */
  updatesAfter(name: string, seq: number): StoredUpdate[];
  /** Appends an update durably before returning; returns its sequence number. */
  append(name: string, update: Uint8Array, user: string | null, summary?: ChangeSummary | null): number;
  /** Appends several updates in one transaction, in order; returns their sequence numbers. */
  appendMany(name: string, updates: readonly Append[]): number[];
  compact(name: string, snapshot: Uint8Array, upToSeq: number): void;
  changes(name: string, limit?: number): ChangeRecord[];
  /** Users, memberships and tokens. */
  accounts: AccountStore;
  /** Named versions of documents. */
  versions: VersionStore;
  /** Page images of witnesses. */
  pages: PageStore;
  /**
   * A number that moves whenever memberships, tokens, users or publication change, in this process or
   * another writing the same store (the command line): one cheap read tells whether access is as it was.
   */
  accessEpoch(): number;
  /** Copies the store, consistently, to `file` while it is in use (SQLite's online backup). */
  backup(file: string): Promise<void>;
  /** The schema migrations this opening ran (none when the store was current). */
  readonly migrated: readonly Migration[];
  close(): void;
}

export interface SqliteStoreOptions {
  /** `normal` survives a killed process (WAL); `full` also survives a power cut, at one fsync per update. */
  synchronous?: "normal" | "full";
}

/** The store's file name in its data folder. */
export const STORE_FILE = "variorum.db";

/**
 * Opens (creating if needed) the store in `dir/variorum.db`, migrating it to the current schema; throws
 * `StoreVersionError` for a store written by a newer Variorum.
 */
export function openSqliteStore(dir: string, options: SqliteStoreOptions = {}): Store {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, STORE_FILE);
  const db = new Database(file);
  let migrated: Migration[] = [];
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
  db.pragma("busy_timeout = 5000");
  try {
    migrated = migrate(db, file);
  } catch (error) {
    db.close();
    throw error;
  }
  const q = {
    listEditions: db.prepare("SELECT id, title, created_at, published FROM editions ORDER BY created_at, id"),
    getEdition: db.prepare("SELECT id, title, created_at, published FROM editions WHERE id = ?"),
    insertEdition: db.prepare("INSERT INTO editions (id, title, created_at) VALUES (?, ?, ?)"),
    setPublished: db.prepare("UPDATE editions SET published = ? WHERE id = ?"),
    setTitle: db.prepare("UPDATE editions SET title = ? WHERE id = ?"),
    // An edition's documents are named "<id>" and "<id>/…"; substr, not LIKE, so "_" and "%" match only themselves.
    editionDocuments: db.prepare(
      "SELECT name FROM documents WHERE name = @id OR substr(name, 1, length(@id) + 1) = @id || '/' ORDER BY name",
    ),
    dropEdition: db.prepare("DELETE FROM editions WHERE id = ?"),
    dropDocument: db.prepare("DELETE FROM documents WHERE name = ?"),
    dropAllUpdates: db.prepare("DELETE FROM updates WHERE doc = ?"),
    dropChanges: db.prepare("DELETE FROM changes WHERE doc = ?"),
    dropVersions: db.prepare("DELETE FROM versions WHERE doc = ?"),
    hasDocument: db.prepare("SELECT 1 FROM documents WHERE name = ?"),
    insertDocument: db.prepare(
      "INSERT OR IGNORE INTO documents (name, snapshot, snapshot_seq) VALUES (?, ?, 0)",
    ),
    snapshot: db.prepare("SELECT snapshot, snapshot_seq FROM documents WHERE name = ?"),
    updatesSince: db.prepare("SELECT seq, data FROM updates WHERE doc = ? AND seq > ? ORDER BY seq"),
    append: db.prepare("INSERT INTO updates (doc, data) VALUES (?, ?)"),
    change: db.prepare("INSERT INTO changes (seq, doc, user, at, bytes, summary) VALUES (?, ?, ?, ?, ?, ?)"),
    setSnapshot: db.prepare("UPDATE documents SET snapshot = ?, snapshot_seq = ? WHERE name = ?"),
    dropUpdates: db.prepare("DELETE FROM updates WHERE doc = ? AND seq <= ?"),
    changes: db.prepare(
      "SELECT seq, doc, user, at, bytes, summary FROM changes WHERE doc = ? ORDER BY seq DESC LIMIT ?",
    ),
    accessEpoch: db.prepare("SELECT n FROM access_epoch WHERE id = 1").pluck(),
    wasSeeded: db.prepare("SELECT 1 FROM seeded WHERE id = ?"),
    markSeeded: db.prepare("INSERT OR IGNORE INTO seeded (id, at) VALUES (?, ?)"),
  };
  type EditionRow = { id: string; title: string; created_at: number; published: number };
  const edition = (row: EditionRow): EditionRecord => ({
    id: row.id,
    title: row.title,
    createdAt: row.created_at,
    published: row.published === 1,
  });
  const appendTx = db.transaction(
    (name: string, update: Uint8Array, user: string | null, summary: ChangeSummary | null) => {
      const seq = Number(q.append.run(name, update).lastInsertRowid);
      q.change.run(seq, name, user, Date.now(), update.byteLength, summary ? JSON.stringify(summary) : null);
      return seq;
    },
  );
  const appendManyTx = db.transaction((name: string, updates: readonly Append[]) =>
    updates.map((u) => appendTx(name, u.update, u.user, u.summary ?? null)),
  );
  const createTx = db.transaction((id: string, title: string, docName: string, snapshot: Uint8Array) => {
    q.insertEdition.run(id, title, Date.now());
    q.insertDocument.run(docName, snapshot);
  });
  const accounts = sqliteAccounts(db);
  const versions = sqliteVersions(db);
  const pages = sqlitePages(db, dir);
  const editionDocuments = (id: string) =>
    (q.editionDocuments.all({ id }) as { name: string }[]).map((r) => r.name);
  const deleteTx = db.transaction((id: string) => {
    for (const name of editionDocuments(id)) {
      q.dropAllUpdates.run(name);
      q.dropChanges.run(name);
      q.dropVersions.run(name);
      q.dropDocument.run(name);
    }
    accounts.forgetEdition(id);
    pages.forgetEdition(id);
    q.dropEdition.run(id);
  });
  const updatesAfterTx = db.transaction((name: string, seq: number): StoredUpdate[] => {
    const snap = q.snapshot.get(name) as { snapshot: Buffer | null; snapshot_seq: number } | undefined;
    const folded = snap?.snapshot && snap.snapshot_seq > seq;
    const rows = (
      q.updatesSince.all(name, folded ? snap.snapshot_seq : seq) as { seq: number; data: Buffer }[]
    ).map((r) => ({ seq: r.seq, data: new Uint8Array(r.data) }));
    return folded
      ? [
          { seq: snap.snapshot_seq, data: new Uint8Array(snap.snapshot as Buffer), snapshot: true as const },
          ...rows,
        ]
      : rows;
  });
  const compactTx = db.transaction((name: string, snapshot: Uint8Array, upToSeq: number) => {
    q.setSnapshot.run(snapshot, upToSeq, name);
    q.dropUpdates.run(name, upToSeq);
  });
  return {
    listEditions: () => (q.listEditions.all() as EditionRow[]).map(edition),
    getEdition: (id) => {
      const row = q.getEdition.get(id) as EditionRow | undefined;
      return row ? edition(row) : null;
    },
    createEdition: (e, docName, snapshot) => createTx(e.id, e.title, docName, snapshot),
    wasSeeded: (id) => q.wasSeeded.get(id) !== undefined,
    markSeeded: (id) => {
      q.markSeeded.run(id, Date.now());
    },
    setPublished: (id, published) => void q.setPublished.run(published ? 1 : 0, id),
    setTitle: (id, title) => void q.setTitle.run(title, id),
    editionDocuments,
    deleteEdition: (id) => deleteTx(id),
    hasDocument: (name) => q.hasDocument.get(name) !== undefined,
    createDocument: (name, snapshot) => q.insertDocument.run(name, snapshot).changes > 0,
    load: (name) => {
      const snap = q.snapshot.get(name) as { snapshot: Buffer | null; snapshot_seq: number } | undefined;
      if (!snap) throw new RangeError(`no document "${name}" in the store`);
      const updates: Uint8Array[] = snap.snapshot ? [new Uint8Array(snap.snapshot)] : [];
      let lastSeq = snap.snapshot_seq;
      for (const row of q.updatesSince.all(name, snap.snapshot_seq) as { seq: number; data: Buffer }[]) {
        updates.push(new Uint8Array(row.data));
        lastSeq = row.seq;
      }
      return { updates, lastSeq };
    },
    updatesAfter: (name, seq) => updatesAfterTx(name, seq),
    append: (name, update, user, summary = null) => appendTx(name, update, user, summary),
    appendMany: (name, updates) => appendManyTx(name, updates),
    compact: (name, snapshot, upToSeq) => compactTx(name, snapshot, upToSeq),
    accounts,
    versions,
    pages,
    changes: (name, limit = 100) =>
      (
        q.changes.all(name, limit) as {
          seq: number;
          doc: string;
          user: string | null;
          at: number;
          bytes: number;
          summary: string | null;
        }[]
      ).map((r) => ({ ...r, summary: r.summary ? (JSON.parse(r.summary) as ChangeSummary) : null })),
    accessEpoch: () => q.accessEpoch.get() as number,
    backup: async (target) => {
      // All pages in one step: one read transaction, so one consistent snapshot even while another
      // process writes (SQLite restarts a stepwise backup whenever another connection changes the file).
      await db.backup(target, { progress: () => 0x7fffffff });
    },
    migrated,
    close: () => db.close(),
  };
}

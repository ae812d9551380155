/** Named versions in SQLite: a label, who made it and when, and the full state of the document then. */
import type Database from "better-sqlite3";

export interface VersionRecord {
  id: number;
  doc: string;
  label: string;
  createdBy: string | null;
  createdAt: number;
}

export interface VersionStore {
  create(doc: string, label: string, createdBy: string | null, state: Uint8Array): VersionRecord;
  list(doc: string): VersionRecord[];
  get(doc: string, id: number): (VersionRecord & { state: Uint8Array }) | null;
}

export function sqliteVersions(db: Database.Database): VersionStore {
  db.exec(`
    CREATE TABLE IF NOT EXISTS versions (
      id INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, label TEXT NOT NULL, created_by TEXT,
      created_at INTEGER NOT NULL, state BLOB NOT NULL
    );
    CREATE INDEX IF NOT EXISTS versions_doc ON versions (doc, id);
  `);
  type Row = {
    id: number;
    doc: string;
    label: string;
    created_by: string | null;
    created_at: number;
    state: Buffer;
  };
  const record = (r: Row): VersionRecord => ({
    id: r.id,
    doc: r.doc,
    label: r.label,
    createdBy: r.created_by,
    createdAt: r.created_at,
  });
  const q = {
    insert: db.prepare(
      "INSERT INTO versions (doc, label, created_by, created_at, state) VALUES (?, ?, ?, ?, ?)",
    ),
    list: db.prepare("SELECT id, doc, label, created_by, created_at FROM versions WHERE doc = ? ORDER BY id"),
    get: db.prepare("SELECT * FROM versions WHERE doc = ? AND id = ?"),
  };
  return {
    create: (doc, label, createdBy, state) => {
      const at = Date.now();
      const id = Number(q.insert.run(doc, label, createdBy, at, state).lastInsertRowid);
      return { id, doc, label, createdBy, createdAt: at };
    },
    list: (doc) => (q.list.all(doc) as Row[]).map(record),
    get: (doc, id) => {
      const r = q.get.get(doc, id) as Row | undefined;
      return r ? { ...record(r), state: new Uint8Array(r.state) } : null;
    },
  };
}

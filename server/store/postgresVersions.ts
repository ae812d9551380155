/** Named versions in PostgreSQL, as `../versionStore.ts` keeps them in SQLite: a label, who, when, the state. */
import type { VersionRecord } from "../versionStore.ts";
import type { AsyncVersionStore } from "./asyncStore.ts";
import { bytesOf, isInt4, type Queryable } from "./postgresClient.ts";

type Row = { id: number; doc: string; label: string; created_by: string | null; created_at: string };
const record = (r: Row): VersionRecord => ({
  id: r.id,
  doc: r.doc,
  label: r.label,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
});

/** The named versions of a database that `postgresMigrations.ts` has brought up to date. */
export function postgresVersions(db: Queryable): AsyncVersionStore {
  return {
    create: async (doc, label, createdBy, state) => {
      const { rows } = await db.query<Row>(
        "INSERT INTO versions (doc, label, created_by, created_at, state) VALUES ($1, $2, $3, $4, $5) RETURNING id, doc, label, created_by, created_at",
        [doc, label, createdBy, Date.now(), Buffer.from(state)],
      );
      if (!rows[0]) throw new Error(`version "${label}" of document "${doc}" was not stored`);
      return record(rows[0]);
    },
    list: async (doc) =>
      (
        await db.query<Row>(
          "SELECT id, doc, label, created_by, created_at FROM versions WHERE doc = $1 ORDER BY id",
          [doc],
        )
      ).rows.map(record),
    get: async (doc, id) => {
      if (!isInt4(id)) return null;
      const { rows } = await db.query<Row & { state: Buffer }>(
        "SELECT * FROM versions WHERE doc = $1 AND id = $2",
        [doc, id],
      );
      return rows[0] ? { ...record(rows[0]), state: bytesOf(rows[0].state) } : null;
    },
  };
}

/** Deletes a document's named versions (when its edition is deleted). */
export async function forgetVersions(db: Queryable, doc: string): Promise<void> {
  await db.query("DELETE FROM versions WHERE doc = $1", [doc]);
}

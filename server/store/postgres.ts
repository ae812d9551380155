/**
 * The PostgreSQL store (`pg`), for several Variorum servers sharing one database: chosen by
 * `VARIORUM_DATABASE_URL=postgres://…` once the server runs on `AsyncStore`. Each append is one
 * transaction that takes the document's next sequence number under its row lock and writes the update
 * and its attribution; it resolves only after PostgreSQL has committed it. Accounts, named versions and
 * pages are in `postgresAccounts.ts`, `postgresVersions.ts` and `postgresPages.ts`.
 */
import pg from "pg";
import type { ChangeSummary } from "../../schema/changeSummary.ts";
import type { Append, ChangeRecord, EditionRecord } from "../store.ts";
import type { AsyncStore } from "./asyncStore.ts";
import { postgresAccounts } from "./postgresAccounts.ts";
import { bytesOf as bytes, transaction } from "./postgresClient.ts";
import { migratePostgres, type PostgresMigration } from "./postgresMigrations.ts";
import { forgetPages, postgresPages } from "./postgresPages.ts";
import { forgetVersions, postgresVersions } from "./postgresVersions.ts";

/** The advisory-lock namespace of document locks (the document's name hashed is the other half). */
const DOCUMENT_LOCKS = 0x646f63;

type EditionRow = { id: string; title: string; created_at: string; published: boolean };
const edition = (r: EditionRow): EditionRecord => ({
  id: r.id,
  title: r.title,
  createdAt: Number(r.created_at),
  published: r.published,
});

export interface PostgresStoreOptions {
  /**
   * The folder of page images' files (content-addressed, `../media/mediaFiles.ts`): servers sharing the
   * database must share it too.
   */
  mediaDir: string;
}

/** Opens the store at `url`, migrating the database to the current schema first. */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions,
): Promise<AsyncStore & { readonly migrated: readonly PostgresMigration[] }> {
  // A database that stops answering (rather than refusing) must not stall every queue behind it forever.
  const limits = { connectionTimeoutMillis: 5_000, query_timeout: 30_000, keepAlive: true };
  const pool = new pg.Pool({ connectionString: url, max: 10, ...limits });
  const lockPool = new pg.Pool({ connectionString: url, max: 4, ...limits });
  // An idle client's error (the server restarted) must not end the process: the next query reconnects.
  pool.on("error", () => {});
  lockPool.on("error", () => {});
  let migrated: PostgresMigration[];
  const first = await pool.connect();
  try {
    migrated = await migratePostgres(first);
  } finally {
    first.release();
  }

  const tx = <T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> => transaction(pool, work);
  const editionDocuments = async (id: string, c: pg.Pool | pg.PoolClient = pool) =>
    (
      await c.query<{ name: string }>(
        // substr, not LIKE, so "_" and "%" in an id match only themselves.
        "SELECT name FROM documents WHERE name = $1 OR substr(name, 1, length($1) + 1) = $1 || '/' ORDER BY name",
        [id],
      )
    ).rows.map((r) => r.name);

  const appendMany = (name: string, updates: readonly Append[]): Promise<number[]> =>
    tx(async (c) => {
      if (updates.length === 0) return [];
      // The numbers are taken under the document row's lock, all at once: per document, their order is
      // the order of commits on every server.
      const next = await c.query<{ last_seq: string }>(
        "UPDATE documents SET last_seq = last_seq + $2 WHERE name = $1 RETURNING last_seq",
        [name, updates.length],
      );
      if (!next.rows[0]) throw new RangeError(`no document "${name}" in the store`);
      const first = Number(next.rows[0].last_seq) - updates.length + 1;
      const seqs = updates.map((_, i) => first + i);
      await c.query(
        "INSERT INTO updates (doc, seq, data) SELECT $1, * FROM unnest($2::bigint[], $3::bytea[])",
        [name, seqs, updates.map((u) => Buffer.from(u.update))],
      );
      const now = Date.now();
      await c.query(
        'INSERT INTO changes (doc, seq, "user", at, bytes, summary) SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::integer[], $6::jsonb[])',
        [
          name,
          seqs,
          updates.map((u) => u.user),
          updates.map(() => now),
          updates.map((u) => u.update.byteLength),
          updates.map((u) => (u.summary ? JSON.stringify(u.summary) : null)),
        ],
      );
      return seqs;
    });
  return {
    migrated,
    listEditions: async () =>
      (
        await pool.query<EditionRow>(
          "SELECT id, title, created_at, published FROM editions ORDER BY created_at, id",
        )
      ).rows.map(edition),
    getEdition: async (id) => {
      const { rows } = await pool.query<EditionRow>(
        "SELECT id, title, created_at, published FROM editions WHERE id = $1",
        [id],
      );
      return rows[0] ? edition(rows[0]) : null;
    },
    createEdition: (e, docName, snapshot) =>
      tx(async (c) => {
        await c.query("INSERT INTO editions (id, title, created_at) VALUES ($1, $2, $3)", [
          e.id,
          e.title,
          Date.now(),
        ]);
        await c.query("INSERT INTO documents (name, snapshot) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
          docName,
          Buffer.from(snapshot),
        ]);
      }),
    wasSeeded: async (id) => (await pool.query("SELECT 1 FROM seeded WHERE id = $1", [id])).rowCount === 1,
    markSeeded: async (id) => {
      await pool.query("INSERT INTO seeded (id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
        id,
        Date.now(),
      ]);
    },
    setPublished: async (id, published) => {
      await pool.query("UPDATE editions SET published = $1 WHERE id = $2", [published, id]);
    },
    setTitle: async (id, title) => {
      await pool.query("UPDATE editions SET title = $1 WHERE id = $2", [title, id]);
    },
    editionDocuments: (id) => editionDocuments(id),
    deleteEdition: (id) =>
      tx(async (c) => {
        // Updates and changes go with their documents (ON DELETE CASCADE).
        for (const name of await editionDocuments(id, c)) {
          await forgetVersions(c, name);
          await c.query("DELETE FROM documents WHERE name = $1", [name]);
        }
        await postgresAccounts(c).forgetEdition(id);
        await forgetPages(c, id);
        await c.query("DELETE FROM editions WHERE id = $1", [id]);
      }),
    hasDocument: async (name) =>
      (await pool.query("SELECT 1 FROM documents WHERE name = $1", [name])).rowCount === 1,
    createDocument: async (name, snapshot) =>
      (
        await pool.query("INSERT INTO documents (name, snapshot) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
          name,
          Buffer.from(snapshot),
        ])
      ).rowCount === 1,
    load: (name) =>
      // One transaction at REPEATABLE READ: the snapshot and the updates after it are of one moment,
      // even while another server compacts.
      tx(async (c) => {
        await c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        const snap = await c.query<{ snapshot: Buffer | null; snapshot_seq: string }>(
          "SELECT snapshot, snapshot_seq FROM documents WHERE name = $1",
          [name],
        );
        const row = snap.rows[0];
        if (!row) throw new RangeError(`no document "${name}" in the store`);
        const updates: Uint8Array[] = row.snapshot ? [bytes(row.snapshot)] : [];
        let lastSeq = Number(row.snapshot_seq);
        const rest = await c.query<{ seq: string; data: Buffer }>(
          "SELECT seq, data FROM updates WHERE doc = $1 AND seq > $2 ORDER BY seq",
          [name, lastSeq],
        );
        for (const r of rest.rows) {
          updates.push(bytes(r.data));
          lastSeq = Number(r.seq);
        }
        return { updates, lastSeq };
      }),
    updatesAfter: (name, seq) =>
      // One moment, as `load`: a compaction between reading the snapshot and the updates would hide both.
      tx(async (c) => {
        await c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        const snap = (
          await c.query<{ snapshot: Buffer | null; snapshot_seq: string }>(
            "SELECT snapshot, snapshot_seq FROM documents WHERE name = $1",
            [name],
          )
        ).rows[0];
        const snapshotSeq = Number(snap?.snapshot_seq ?? 0);
        // Another server compacted past what the caller has seen: the updates it lacks are in the snapshot.
        const folded = snap?.snapshot && snapshotSeq > seq ? snap.snapshot : null;
        const rows = (
          await c.query<{ seq: string; data: Buffer }>(
            "SELECT seq, data FROM updates WHERE doc = $1 AND seq > $2 ORDER BY seq",
            [name, folded ? snapshotSeq : seq],
          )
        ).rows.map((r) => ({ seq: Number(r.seq), data: bytes(r.data) }));
        return folded ? [{ seq: snapshotSeq, data: bytes(folded), snapshot: true as const }, ...rows] : rows;
      }),
    append: async (name, update, user, summary: ChangeSummary | null = null) =>
      (await appendMany(name, [{ update, user, summary }]))[0] as number,
    appendMany,
    compact: (name, snapshot, upToSeq) =>
      tx(async (c) => {
        // Only forward: a server that has seen less than the stored snapshot must not replace it (the
        // updates between are already gone with the newer snapshot). Never past the document's own count:
        // a copy of a deleted document, re-created since under its name, counted further than the new one.
        const moved = await c.query(
          "UPDATE documents SET snapshot = $1, snapshot_seq = $2 WHERE name = $3 AND snapshot_seq < $2 AND last_seq >= $2",
          [Buffer.from(snapshot), upToSeq, name],
        );
        if (moved.rowCount === 1)
          await c.query("DELETE FROM updates WHERE doc = $1 AND seq <= $2", [name, upToSeq]);
      }),
    changes: async (name, limit = 100): Promise<ChangeRecord[]> =>
      (
        await pool.query<{
          seq: string;
          doc: string;
          user: string | null;
          at: string;
          bytes: number;
          summary: ChangeSummary | null;
        }>(
          'SELECT seq, doc, "user", at, bytes, summary FROM changes WHERE doc = $1 ORDER BY seq DESC LIMIT $2',
          [name, limit],
        )
      ).rows.map((r) => ({ ...r, seq: Number(r.seq), at: Number(r.at) })),
    withDocumentLock: async (name, work) => {
      // A session-level lock lives on one connection, held for the whole of `work` — from a pool of its
      // own: `work` queries the main pool, which lock holders must never exhaust while they wait on it.
      const c = await lockPool.connect();
      let broken: Error | undefined;
      // The connection may die while it only holds the lock (PostgreSQL restarted): that ends the lock
      // with the session, and must not end the process.
      const onError = (error: Error) => {
        broken = error;
      };
      c.on("error", onError);
      try {
        const { rows } = await c.query<{ locked: boolean }>(
          "SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked",
          [DOCUMENT_LOCKS, name],
        );
        if (!rows[0]?.locked) return null;
        try {
          return await work();
        } finally {
          await c
            .query("SELECT pg_advisory_unlock($1, hashtext($2))", [DOCUMENT_LOCKS, name])
            .catch((error: Error) => {
              broken ??= error;
            });
        }
      } finally {
        c.off("error", onError);
        c.release(broken);
      }
    },
    accounts: postgresAccounts(pool),
    versions: postgresVersions(pool),
    pages: postgresPages(pool, options.mediaDir),
    accessEpoch: async () =>
      Number((await pool.query<{ n: string }>("SELECT n FROM access_epoch WHERE id = 1")).rows[0]?.n),
    close: async () => {
      await Promise.all([pool.end(), lockPool.end()]);
    },
  };
}

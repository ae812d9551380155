/**
 * The page images of witnesses with PostgreSQL, as `../media/pageStore.ts` keeps them with SQLite: the
 * ordered pages of each witness in the database, the bytes as content-addressed files under a media folder
 * (`../media/mediaFiles.ts`), which servers sharing the database must share too.
 */
import type pg from "pg";
import { readMediaFile, writeMediaFile } from "../media/mediaFiles.ts";
import { type PageRecord, type PageRow, pageRecord, storedPage } from "../media/pageStore.ts";
import type { AsyncPageStore } from "./asyncStore.ts";
import { isInt4, type Queryable, transaction } from "./postgresClient.ts";

/** The advisory-lock namespace of a witness's pages (the edition and siglum hashed is the other half). */
const PAGE_LOCKS = 0x706167;

const record = pageRecord;

/** Adds `page` as its witness's next page, inside the caller's transaction. */
async function addPage(c: pg.PoolClient, page: Omit<PageRecord, "n">): Promise<PageRecord> {
  // Two servers adding a page to one witness at once take turns: each numbers its page after the other's.
  await c.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [
    PAGE_LOCKS,
    `${page.editionId}/${page.siglum}`,
  ]);
  const { rows } = await c.query<{ n: number }>(
    "SELECT COALESCE(MAX(n), 0) + 1 AS n FROM pages WHERE edition_id = $1 AND siglum = $2",
    [page.editionId, page.siglum],
  );
  const n = rows[0]?.n ?? 1;
  await c.query(
    "INSERT INTO pages (edition_id, siglum, n, hash, kind, width, height, label, added_by, added_at, url, service, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    [
      page.editionId,
      page.siglum,
      n,
      page.hash,
      page.kind,
      page.width,
      page.height,
      page.label || null,
      page.addedBy,
      page.addedAt,
      page.url,
      page.service,
      page.source,
    ],
  );
  return { ...page, n, label: page.label || String(n) };
}

/** The pages of a database that `postgresMigrations.ts` has brought up to date, their files in `mediaDir`. */
export function postgresPages(pool: pg.Pool, mediaDir: string): AsyncPageStore {
  return {
    add: async (page, bytes) => {
      // The file first: a page row never names a file that is not there.
      const hash = writeMediaFile(mediaDir, bytes);
      return transaction(pool, (c) => addPage(c, storedPage(page, hash)));
    },
    addExternal: (pages) =>
      transaction(pool, async (c) => {
        const added: PageRecord[] = [];
        for (const p of pages)
          added.push(await addPage(c, { ...p, hash: "", label: p.label ?? "", addedAt: Date.now() }));
        return added;
      }),
    list: async (editionId, siglum) =>
      (
        await pool.query<PageRow>("SELECT * FROM pages WHERE edition_id = $1 AND siglum = $2 ORDER BY n", [
          editionId,
          siglum,
        ])
      ).rows.map(record),
    get: async (editionId, siglum, n) => {
      if (!isInt4(n)) return null;
      const { rows } = await pool.query<PageRow>(
        "SELECT * FROM pages WHERE edition_id = $1 AND siglum = $2 AND n = $3",
        [editionId, siglum, n],
      );
      return rows[0] ? record(rows[0]) : null;
    },
    read: async (hash) => readMediaFile(mediaDir, hash),
    forgetEdition: (editionId) => forgetPages(pool, editionId),
  };
}

/** Forgets an edition's pages (the files stay: another edition may hold the same image). */
export async function forgetPages(db: Queryable, editionId: string): Promise<void> {
  await db.query("DELETE FROM pages WHERE edition_id = $1", [editionId]);
}

/**
 * The page images of witnesses: the files, content-addressed under `<data>/media/` (a file's name is the
 * SHA-256 of its bytes, so one image added twice is stored once and never changes), and in SQLite the
 * ordered pages of each witness of each edition, with their pixel size and who added them.
 */
import { join } from "node:path";
import type Database from "better-sqlite3";
import type { ImageKind } from "./imageCheck.ts";
import { readMediaFile, writeMediaFile } from "./mediaFiles.ts";

/** One page of a witness. `n` counts from 1 in the order the pages were added. */
export interface PageRecord {
  n: number;
  editionId: string;
  siglum: string;
  hash: string;
  kind: ImageKind;
  width: number;
  height: number;
  /** The page's label as the source numbers it, if known ("3"); else its position. */
  label: string;
  addedBy: string | null;
  addedAt: number;
  /**
   * For a page that is a reference to an image elsewhere (a IIIF canvas, a TEI graphic): its URL (no
   * bytes are stored, `hash` is empty, `kind` is what its manifest or name says, JPEG when neither does),
   * its IIIF Image API service, and the manifest it came from. Null for a stored image.
   */
  url: string | null;
  service: string | null;
  source: string | null;
}

/** A page that is a reference to an image elsewhere. */
export type ExternalPage = Omit<PageRecord, "n" | "hash" | "addedAt" | "label" | "url"> & {
  label?: string;
  url: string;
};

/** A stored image to add as a page: what the caller knows of it. */
export type NewPage = Omit<PageRecord, "n" | "hash" | "addedAt" | "label" | "url" | "service" | "source"> & {
  label?: string;
};

/** The page row (without its number) of a stored image whose file is `hash`, added now. */
export function storedPage(page: NewPage, hash: string): Omit<PageRecord, "n"> {
  return {
    ...page,
    hash,
    label: page.label ?? "",
    addedAt: Date.now(),
    url: null,
    service: null,
    source: null,
  };
}

export interface PageStore {
  /** Stores the image (if new) and adds it as the witness's next page. */
  add(page: NewPage, bytes: Uint8Array): PageRecord;
  /** Adds references to images elsewhere as the witness's next pages, in order, in one transaction. */
  addExternal(pages: ExternalPage[]): PageRecord[];
  list(editionId: string, siglum: string): PageRecord[];
  get(editionId: string, siglum: string, n: number): PageRecord | null;
  /** The bytes of a stored image. */
  read(hash: string): Uint8Array;
  /** Forgets the pages of a deleted edition (the files stay: another edition may hold the same image). */
  forgetEdition(editionId: string): void;
}

/** A row of the pages table, as SQLite and PostgreSQL give it back (PostgreSQL: a BIGINT as text). */
export type PageRow = {
  n: number;
  edition_id: string;
  siglum: string;
  hash: string;
  kind: ImageKind;
  width: number;
  height: number;
  label: string | null;
  added_by: string | null;
  added_at: number | string;
  url: string | null;
  service: string | null;
  source: string | null;
};

/** A page's record from its row, whichever database gave it. */
export function pageRecord(r: PageRow): PageRecord {
  return {
    n: r.n,
    editionId: r.edition_id,
    siglum: r.siglum,
    hash: r.hash,
    kind: r.kind,
    width: r.width,
    height: r.height,
    label: r.label ?? String(r.n),
    addedBy: r.added_by,
    addedAt: Number(r.added_at),
    url: r.url ?? null,
    service: r.service ?? null,
    source: r.source ?? null,
  };
}

export function sqlitePages(db: Database.Database, dataDir: string): PageStore {
  const dir = join(dataDir, "media");
  const q = {
    next: db.prepare("SELECT COALESCE(MAX(n), 0) + 1 FROM pages WHERE edition_id = ? AND siglum = ?").pluck(),
    insert: db.prepare(
      "INSERT INTO pages (edition_id, siglum, n, hash, kind, width, height, label, added_by, added_at, url, service, source) VALUES (@editionId, @siglum, @n, @hash, @kind, @width, @height, @label, @addedBy, @addedAt, @url, @service, @source)",
    ),
    list: db.prepare("SELECT * FROM pages WHERE edition_id = ? AND siglum = ? ORDER BY n"),
    get: db.prepare("SELECT * FROM pages WHERE edition_id = ? AND siglum = ? AND n = ?"),
    forget: db.prepare("DELETE FROM pages WHERE edition_id = ?"),
  };
  const record = pageRecord;
  const addTx = db.transaction((page: Omit<PageRecord, "n">) => {
    const n = q.next.get(page.editionId, page.siglum) as number;
    q.insert.run({ ...page, n, label: page.label || null });
    return { ...page, n, label: page.label || String(n) };
  });
  return {
    add: (page, bytes) => addTx(storedPage(page, writeMediaFile(dir, bytes))),
    addExternal: (pages) =>
      db.transaction(() =>
        pages.map((p) => addTx({ ...p, hash: "", label: p.label ?? "", addedAt: Date.now() })),
      )(),
    list: (editionId, siglum) => (q.list.all(editionId, siglum) as PageRow[]).map(record),
    get: (editionId, siglum, n) => {
      const row = q.get.get(editionId, siglum, n) as PageRow | undefined;
      return row ? record(row) : null;
    },
    read: (hash) => readMediaFile(dir, hash),
    forgetEdition: (editionId) => void q.forget.run(editionId),
  };
}

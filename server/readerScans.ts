/**
 * The page images and zones of an edition's witnesses for the reading edition (`schema/publish/scans.ts`):
 * served at /read/<id>/ with our IIIF image addresses (so an unpublished edition's pages stay its
 * members'), or written by `npx variorum export html` with each stored image copied into the site's
 * `scans/<siglum>/` folder (the site works from disk). A page that is a reference to an image elsewhere
 * (a IIIF canvas) keeps its address in both.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as Y from "yjs";
import { type ScanAssets, type ScanWitness, type ScanZone, zoneTexts } from "../schema/publish/scans.ts";
import { listWitnesses } from "../schema/witnesses.ts";
import { EXT } from "./http/pages.ts";
import type { PageRecord } from "./media/pageStore.ts";
import { ROOT } from "./root.ts";
import type { AsyncStore } from "./store/asyncStore.ts";
import { witnessDocName } from "./witnesses.ts";

let files: { script: string; css: string } | null = null;

/** The panel's script and style sheet (static files, read once). */
export function scanFiles(): { script: string; css: string } {
  files ??= {
    script: readFileSync(join(ROOT, "client/readerScans.js"), "utf8"),
    css: readFileSync(join(ROOT, "client/readerScans.css"), "utf8"),
  };
  return files;
}

/** Where a page's image is shown from; for a copied one, the file to write. */
type Placing = (p: PageRecord) => string | Promise<string>;

/**
 * The witnesses of `edition` that have page images, with their zones; `transcription` gives a
 * witness's transcription document for the time of the call (null when it has none).
 */
export async function readerScans(
  store: AsyncStore,
  edition: Y.Doc,
  editionId: string,
  transcription: (docName: string, use: (doc: Y.Doc) => ScanZone[]) => Promise<ScanZone[] | null>,
  place: Placing,
): Promise<ScanAssets> {
  const witnesses: ScanWitness[] = [];
  for (const w of listWitnesses(edition)) {
    const pages = await store.pages.list(editionId, w.siglum);
    if (pages.length === 0) continue;
    const placed: ScanWitness["pages"] = [];
    // One page after another: a copied page is a file written, in the pages' order.
    for (const p of pages)
      placed.push({ n: p.n, label: p.label, src: await place(p), width: p.width, height: p.height });
    witnesses.push({
      siglum: w.siglum,
      title: w.title,
      pages: placed,
      zones: (await transcription(witnessDocName(editionId, w.siglum), zoneTexts)) ?? [],
    });
  }
  return { witnesses, ...scanFiles() };
}

/** Served: our IIIF level-0 image (with the edition's roles), or the image where it is. */
export function servedPlace(editionId: string): Placing {
  return (p) =>
    p.url ??
    `/iiif/${encodeURIComponent(editionId)}/${encodeURIComponent(p.siglum)}/${p.n}/full/max/0/default.${EXT[p.kind]}`;
}

/** Exported: each stored image copied into `<dir>/scans/<siglum>/<n>.<ext>` (the count kept in `copied`). */
export function copiedPlace(store: AsyncStore, dir: string, copied: { count: number }): Placing {
  return async (p) => {
    if (p.url) return p.url;
    const path = `scans/${p.siglum}/${p.n}.${EXT[p.kind]}`;
    mkdirSync(join(dir, "scans", p.siglum), { recursive: true });
    writeFileSync(join(dir, path), await store.pages.read(p.hash));
    copied.count++;
    return path;
  };
}

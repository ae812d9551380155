/**
 * The reading edition's search as the server serves it: the script as `npm run build` bundles it
 * (`dist/client/reader-search.js`: client/readerSearch.ts with MiniSearch), read once; and each open
 * document's index, kept until the document changes.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type * as Y from "yjs";
import { editionSearchIndexScript, SEARCH_SCRIPT_FILE } from "../schema/publish/searchIndex.ts";
import { ROOT } from "./root.ts";

let script: string | null = null;

export function readerSearchScript(): string {
  if (script !== null) return script;
  const file = join(ROOT, "dist/client", SEARCH_SCRIPT_FILE);
  if (!existsSync(file))
    throw new Error(`the reading edition's search script ${file} is not built: run npm run build`);
  script = readFileSync(file, "utf8");
  return script;
}

// One built index per open document, dropped at its next change: every page asks for it once it is used,
// and building it reads the whole edition.
const indexes = new WeakMap<Y.Doc, { script: string | null }>();

/** `search-index.js` of an open document, built again only after the document changed. */
export function searchIndexOf(ydoc: Y.Doc): string {
  let cached = indexes.get(ydoc);
  if (!cached) {
    const entry: { script: string | null } = { script: null };
    ydoc.on("update", () => {
      entry.script = null;
    });
    indexes.set(ydoc, entry);
    cached = entry;
  }
  cached.script ??= editionSearchIndexScript(ydoc);
  return cached.script;
}

import * as Y from "yjs";
import { STORAGE_ORIGIN } from "../../schema/origin.ts";
import type { Store } from "../../server/store.ts";

/**
 * The stored state of a document of a SQLite store, read into a fresh Y.Doc, synchronously: for tests
 * that look at the file beside a server (the command line's `loadDoc` reads any store, asynchronously).
 */
export function loadDoc(store: Store, name: string): Y.Doc {
  const doc = new Y.Doc();
  for (const update of store.load(name).updates) Y.applyUpdate(doc, update, STORAGE_ORIGIN);
  return doc;
}

/**
 * The embedded SQLite store behind the asynchronous interface, for the conformance suite and for code
 * that is written once for both stores. One process owns a SQLite file (serverLock.ts), so its document
 * lock is a set held in this process.
 */
import type { Store } from "../store.ts";
import type { AsyncStore, Promised } from "./asyncStore.ts";

/** Calls `f` now and hands back its result, or its exception, as a promise. */
function later<T>(f: () => T): Promise<T> {
  try {
    return Promise.resolve(f());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** A synchronous sub-store (accounts, versions, pages) behind promises, method by method. */
function promised<T extends object>(sync: T): Promised<T> {
  const wrapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(sync))
    if (typeof value === "function") wrapped[key] = (...args: unknown[]) => later(() => value(...args));
  return wrapped as Promised<T>;
}

/** `store` behind `AsyncStore`; closing the adapter closes the store. */
export function asyncSqlite(store: Store): AsyncStore {
  const held = new Set<string>();
  return {
    listEditions: () => later(() => store.listEditions()),
    getEdition: (id) => later(() => store.getEdition(id)),
    createEdition: (e, docName, snapshot) => later(() => store.createEdition(e, docName, snapshot)),
    wasSeeded: (id) => later(() => store.wasSeeded(id)),
    markSeeded: (id) => later(() => store.markSeeded(id)),
    setPublished: (id, published) => later(() => store.setPublished(id, published)),
    setTitle: (id, title) => later(() => store.setTitle(id, title)),
    editionDocuments: (id) => later(() => store.editionDocuments(id)),
    deleteEdition: (id) => later(() => store.deleteEdition(id)),
    hasDocument: (name) => later(() => store.hasDocument(name)),
    createDocument: (name, snapshot) => later(() => store.createDocument(name, snapshot)),
    load: (name) => later(() => store.load(name)),
    updatesAfter: (name, seq) => later(() => store.updatesAfter(name, seq)),
    append: (name, update, user, summary) => later(() => store.append(name, update, user, summary)),
    appendMany: (name, updates) => later(() => store.appendMany(name, updates)),
    compact: (name, snapshot, upToSeq) => later(() => store.compact(name, snapshot, upToSeq)),
    changes: (name, limit) => later(() => store.changes(name, limit)),
    withDocumentLock: async (name, work) => {
      if (held.has(name)) return null;
      held.add(name);
      try {
        return await work();
      } finally {
        held.delete(name);
      }
    },
    accounts: promised(store.accounts),
    versions: promised(store.versions),
    pages: promised(store.pages),
    accessEpoch: () => later(() => store.accessEpoch()),
    close: () => later(() => store.close()),
  };
}

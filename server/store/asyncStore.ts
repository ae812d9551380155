/**
 * The store as several servers share it: the editions and their documents (snapshot + update log, change
 * attribution), accounts, named versions, page images and the access epoch, where every call may wait on
 * the network. PostgreSQL implements it (`postgres.ts`) and the
 * embedded SQLite store is adapted to it (`sqliteAdapter.ts`), so that one conformance suite holds both to
 * the same behaviour. The server and the command line call only this interface.
 */
import type { ChangeSummary } from "../../schema/changeSummary.ts";
import type { AccountStore } from "../accountStore.ts";
import type { PageStore } from "../media/pageStore.ts";
import type { Append, ChangeRecord, EditionRecord, StoredDocument, StoredUpdate } from "../store.ts";
import type { VersionStore } from "../versionStore.ts";

/** The methods of a synchronous store, each resolving to what the synchronous one returns. */
export type Promised<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;
};

/** Users, memberships and tokens (`../accountStore.ts`), asynchronously. */
export type AsyncAccountStore = Promised<AccountStore>;
/** Named versions of documents (`../versionStore.ts`), asynchronously. */
export type AsyncVersionStore = Promised<VersionStore>;
/** Page images of witnesses (`../media/pageStore.ts`), asynchronously: records in the database, bytes as files. */
export type AsyncPageStore = Promised<PageStore>;

export interface AsyncStore {
  listEditions(): Promise<EditionRecord[]>;
  getEdition(id: string): Promise<EditionRecord | null>;
  /** Registers an edition with the first state of its text document, atomically. */
  createEdition(edition: { id: string; title: string }, docName: string, snapshot: Uint8Array): Promise<void>;
  wasSeeded(id: string): Promise<boolean>;
  markSeeded(id: string): Promise<void>;
  setPublished(id: string, published: boolean): Promise<void>;
  setTitle(id: string, title: string): Promise<void>;
  /** The names of an edition's documents: its text and its witnesses' transcriptions. */
  editionDocuments(id: string): Promise<string[]>;
  /**
   * Deletes an edition with its documents, their updates, changes and named versions, its memberships,
   * invitations and pages, in one transaction; nothing of another edition.
   */
  deleteEdition(id: string): Promise<void>;
  hasDocument(name: string): Promise<boolean>;
  /** Creates a document with its first state; false if one of that name exists already. */
  createDocument(name: string, snapshot: Uint8Array): Promise<boolean>;
  load(name: string): Promise<StoredDocument>;
  /**
   * Updates stored after `seq` (by any server), in the order they were appended to this document. When
   * another server's compaction folded some of them into the snapshot, that snapshot comes first (with
   * its sequence number), then the updates after it.
   */
  updatesAfter(name: string, seq: number): Promise<StoredUpdate[]>;
  /**
   * Appends an update durably before resolving; resolves to its sequence number, which is greater than
   * that of every update of this document appended before it, by any server.
   */
  append(
    name: string,
    update: Uint8Array,
    user: string | null,
    summary?: ChangeSummary | null,
  ): Promise<number>;
  /**
   * Appends several updates of one document in one durable step, in order: as `append` for each, with
   * one commit for all (a document's queue stores what waited while the previous commit was made).
   * Resolves to their sequence numbers, rising.
   */
  appendMany(name: string, updates: readonly Append[]): Promise<number[]>;
  compact(name: string, snapshot: Uint8Array, upToSeq: number): Promise<void>;
  changes(name: string, limit?: number): Promise<ChangeRecord[]>;
  /**
   * Runs `work` holding this document's lock, shared by every server on the store (PostgreSQL's advisory
   * lock), so that two servers never compact one document at once; resolves to null, without running
   * `work`, when another holds it.
   */
  withDocumentLock<T>(name: string, work: () => Promise<T>): Promise<T | null>;
  /** Users, memberships and tokens. */
  accounts: AsyncAccountStore;
  /** Named versions of documents. */
  versions: AsyncVersionStore;
  /** Page images of witnesses. */
  pages: AsyncPageStore;
  /**
   * A number that moves whenever memberships, tokens, users or publication change, by any server on the
   * store: one cheap read tells whether access is as it was.
   */
  accessEpoch(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Appends `updates` in order, in as few commits as keep each under about `maxBytes` (one update larger
 * than that is a commit of its own); resolves to their sequence numbers.
 */
export async function appendInCommits(
  store: AsyncStore,
  name: string,
  updates: readonly Append[],
  maxBytes: number,
): Promise<number[]> {
  const seqs: number[] = [];
  for (let from = 0; from < updates.length; ) {
    let to = from + 1;
    let bytes = (updates[from] as Append).update.byteLength;
    while (to < updates.length && bytes + (updates[to] as Append).update.byteLength <= maxBytes)
      bytes += (updates[to++] as Append).update.byteLength;
    try {
      seqs.push(...(await store.appendMany(name, updates.slice(from, to))));
    } catch (error) {
      throw new PartlyAppended(error as Error, seqs);
    }
    from = to;
  }
  return seqs;
}

/** A commit of `appendInCommits` failed after the first `stored.length` updates were stored (their numbers). */
export class PartlyAppended extends Error {
  constructor(
    readonly failure: Error,
    readonly stored: number[],
  ) {
    super(failure.message);
  }
}

/**
 * The store as several servers share it: the editions and their documents (snapshot + update log, change
 * attribution), where every call may wait on the network. PostgreSQL implements it (`postgres.ts`) and the
 * embedded SQLite store is adapted to it (`sqliteAdapter.ts`), so that one conformance suite holds both to
 * the same behaviour. The running server still calls the synchronous `Store` of `../store.ts`; moving it
 * onto this interface (with accounts, versions and pages) is the next step of running several servers.
 */
import type { ChangeSummary } from "../../schema/changeSummary.ts";
import type { ChangeRecord, EditionRecord, StoredDocument } from "../store.ts";

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
  /** Deletes an edition with its documents, their updates and changes; nothing of another edition. */
  deleteEdition(id: string): Promise<void>;
  hasDocument(name: string): Promise<boolean>;
  /** Creates a document with its first state; false if one of that name exists already. */
  createDocument(name: string, snapshot: Uint8Array): Promise<boolean>;
  load(name: string): Promise<StoredDocument>;
  /** Updates stored after `seq` (by any server), in the order they were appended to this document. */
  updatesAfter(name: string, seq: number): Promise<{ seq: number; data: Uint8Array }[]>;
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
  compact(name: string, snapshot: Uint8Array, upToSeq: number): Promise<void>;
  changes(name: string, limit?: number): Promise<ChangeRecord[]>;
  /**
   * Runs `work` holding this document's lock, shared by every server on the store (PostgreSQL's advisory
   * lock), so that two servers never compact one document at once; resolves to null, without running
   * `work`, when another holds it.
   */
  withDocumentLock<T>(name: string, work: () => Promise<T>): Promise<T | null>;
  close(): Promise<void>;
}

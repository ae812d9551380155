/**
 * The bus between the nodes of a cluster, apart from its transport (Redis in `redisBus.ts`): what one node
 * tells the others about a document, and that access changed. The store stays the truth: a message on the
 * bus is a hint that arrives fast; `gap()` sends a node back to the store when hints may have been lost.
 */

/** What one node tells the others about one document. Updates are already stored (PostgreSQL) with `seq`. */
export type BusMessage =
  | { kind: "update"; seq: number; data: Uint8Array }
  | { kind: "awareness"; data: Uint8Array };

/** Where a node's subscription to one document delivers. */
export interface DocumentFeed {
  /** A message another node published, in the stream's order. Never the node's own messages. */
  message(m: BusMessage): void;
  /** Messages may have been missed (Redis restarted or unreachable, stream trimmed past us): catch up from the store. */
  gap(): void;
}

/**
 * Ends a subscription when called. `ready` resolves once the subscription's place in the document's
 * stream is fixed: every message published after that is delivered (or a `gap()` says it may not have
 * been). Loading from the store after `ready` therefore misses nothing. While Redis is unreachable it
 * resolves at once, and the feed gets `gap()` when Redis is back.
 */
export interface Unsubscribe {
  (): void;
  readonly ready: Promise<void>;
}

export interface Bus {
  readonly nodeId: string;
  /** Appends to the document's stream; resolves once Redis has it. Rejects (with a clear message) when Redis is unreachable. */
  publish(doc: string, m: BusMessage): Promise<void>;
  /** Starts delivering messages published after this call; returns the unsubscribe function. */
  subscribe(doc: string, feed: DocumentFeed): Unsubscribe;
  /** Tells every node that memberships/tokens/publication changed (revocation), so they re-check access now. */
  publishAccessChanged(): Promise<void>;
  /**
   * `handler` runs when another node published an access change, and also when Redis comes back after
   * being unreachable (a change may have been missed meanwhile). Never for this node's own changes.
   */
  onAccessChanged(handler: () => void): void;
  /** Whether Redis is reachable now. */
  readonly connected: boolean;
  close(): Promise<void>;
}

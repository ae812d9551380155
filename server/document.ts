/**
 * One open document: its `Y.Doc`, its awareness, the connections editing it, and the rule that every
 * change is stored before anyone else sees it.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { type ChangeSummary, summarizeTransaction } from "../schema/changeSummary.ts";
import { isOrigin, type Origin, STORAGE_ORIGIN } from "../schema/origin.ts";
import type { Log } from "./log.ts";
import { encodeAwareness, encodeUpdate } from "./protocol.ts";
import type { Store } from "./store.ts";
import { type CheckResult, checkUpdate, type UpdateRules } from "./updateCheck.ts";

/** What a document needs of a connection: somewhere to send bytes, and a way to end it. */
export interface Peer {
  readonly id: number;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  /**
   * Who this peer is, as the others see them: the account's name and the role the door granted. Its
   * awareness states are given these, whatever the client wrote (nobody labels their cursor "Clara").
   */
  identity?(): { name: string | null; role: string };
}

export interface DocumentOptions {
  rules: UpdateRules;
  /** Compact the stored log into a snapshot after this many appended updates. */
  compactEvery: number;
  /** Largest encoded size of the whole document, in bytes. */
  maxDocumentBytes: number;
  log: Log;
}

export type ApplyResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: string; storage?: boolean; forbidden?: boolean; tooLarge?: boolean };

/** The origin of updates another process stored, applied here by `catchUp`. */
const EXTERNAL_ORIGIN = Object.freeze({ kind: "storage", external: true });

export class OpenDocument {
  readonly ydoc = new Y.Doc();
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<Peer>();
  /** Awareness client ids each peer speaks for, removed when the peer leaves. */
  private readonly awarenessOf = new Map<Peer, Set<number>>();
  private lastSeq: number;
  /** The highest stored sequence number this document has seen, its own appends or another process's. */
  private seenSeq: number;
  /** Sequence numbers this process appended since the last catch-up. */
  private readonly ownSeqs = new Set<number>();
  private appendsSinceCompact = 0;
  /** The summary of the transaction whose update is about to be stored (see the constructor). */
  private pendingSummary: ChangeSummary | null = null;
  private fullState: Uint8Array | null = null;
  /**
   * An upper bound of the encoded size, for the size cap: the real size at load and at each compaction,
   * plus the bytes of every update since (re-encoding the document per update would cost more than the
   * update itself).
   */
  private sizeBound = 0;
  private storageFailed = false;

  constructor(
    readonly name: string,
    private readonly store: Store,
    private readonly options: DocumentOptions,
  ) {
    const stored = store.load(name);
    this.ydoc.transact(() => {
      for (const update of stored.updates) Y.applyUpdate(this.ydoc, update, STORAGE_ORIGIN);
    }, STORAGE_ORIGIN);
    this.lastSeq = stored.lastSeq;
    this.seenSeq = stored.lastSeq;
    this.appendsSinceCompact = stored.updates.length;
    // The stored bytes bound the encoded size (a snapshot and the updates since): re-encoding a large
    // document only to measure it cost a quarter of its load.
    this.sizeBound = stored.updates.reduce((n, u) => n + u.byteLength, 0);
    this.awareness = new awarenessProtocol.Awareness(this.ydoc);
    this.awareness.setLocalState(null);
    // A change's summary is read while its transaction is still open (deleted text is collected after);
    // Yjs emits "afterTransaction" before "update", which stores it with the update.
    this.ydoc.on("afterTransaction", (tr: Y.Transaction) => {
      this.pendingSummary =
        tr.origin === STORAGE_ORIGIN || tr.origin === EXTERNAL_ORIGIN ? null : summarizeTransaction(tr);
    });
    this.ydoc.on("update", (update: Uint8Array, origin: unknown) => this.onUpdate(update, origin));
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      if (origin instanceof Object && this.awarenessOf.has(origin as Peer)) {
        const peer = origin as Peer;
        const owned = this.awarenessOf.get(peer) as Set<number>;
        for (const id of added) owned.add(id);
        for (const id of removed) owned.delete(id);
        const who = peer.identity?.();
        if (who) for (const id of [...added, ...updated]) this.stampIdentity(id, who);
      }
      this.broadcast(encodeAwareness(this.awareness, changed), null);
    });
  }

  /**
   * Checks an update from a peer and applies it; storing and broadcasting follow in `onUpdate`.
   * `writable` names the roots the peer may change (null: all of them).
   */
  applyFrom(
    origin: Origin & { kind: "connection" },
    update: Uint8Array,
    writable: ReadonlySet<string> | null = null,
  ): ApplyResult {
    if (this.storageFailed) return { ok: false, reason: "the document could not be stored", storage: true };
    const check: CheckResult = checkUpdate(this.ydoc, update, this.options.rules, writable);
    if (!check.ok) return check;
    if (update.byteLength + this.sizeBound > this.options.maxDocumentBytes) {
      return {
        ok: false,
        tooLarge: true,
        reason: `the document would exceed its limit of ${this.options.maxDocumentBytes} bytes`,
      };
    }
    const before = this.lastSeq;
    try {
      Y.applyUpdate(this.ydoc, update, origin);
    } catch (error) {
      if (this.storageFailed) return { ok: false, reason: (error as Error).message, storage: true };
      return { ok: false, reason: `update could not be applied (${(error as Error).message})` };
    }
    return { ok: true, changed: this.lastSeq !== before };
  }

  /** Applies a change made on the server (a restore, an import) through the same store-then-send path. */
  transact(origin: Origin, change: (doc: Y.Doc) => void): void {
    this.ydoc.transact(() => change(this.ydoc), origin);
  }

  private onUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === STORAGE_ORIGIN) return;
    if (origin === EXTERNAL_ORIGIN) {
      // Already stored by the process that made it: only the peers need it.
      this.fullState = null;
      this.sizeBound += update.byteLength;
      this.broadcast(encodeUpdate(update), null);
      return;
    }
    const user =
      isOrigin(origin) && (origin.kind === "connection" || origin.kind === "server" || origin.kind === "ocr")
        ? origin.user
        : null;
    try {
      const summary = this.pendingSummary;
      this.pendingSummary = null;
      this.lastSeq = this.store.append(this.name, update, user, summary);
      this.ownSeqs.add(this.lastSeq);
    } catch (error) {
      // The update is in memory but not on disk: nobody may see it. Drop every peer (they resend on
      // reconnect) and let the registry unload this document without compacting it.
      this.storageFailed = true;
      this.options.log.error(`storing an update of "${this.name}" failed: ${(error as Error).message}`);
      throw new Error(`the update could not be stored (${(error as Error).message})`);
    }
    this.fullState = null;
    this.sizeBound += update.byteLength;
    this.appendsSinceCompact++;
    const sender = isOrigin(origin) && origin.kind === "connection" ? origin.connectionId : null;
    this.broadcast(encodeUpdate(update), sender);
    if (this.appendsSinceCompact >= this.options.compactEvery) this.compact();
  }

  /** Whether an update from a storage failure left this document unusable; it must be unloaded. */
  get failed(): boolean {
    return this.storageFailed;
  }

  /** Everything a peer with this state vector lacks; the full state is cached for fresh peers. */
  diffFor(stateVector: Uint8Array): Uint8Array {
    if (stateVector.byteLength === 1 && stateVector[0] === 0) {
      this.fullState ??= Y.encodeStateAsUpdate(this.ydoc);
      return this.fullState;
    }
    return Y.encodeStateAsUpdate(this.ydoc, stateVector);
  }

  addPeer(peer: Peer): void {
    this.peers.add(peer);
    this.awarenessOf.set(peer, new Set());
  }

  /** Overwrites the name and role in a peer's awareness state with its account's, before they are relayed. */
  private stampIdentity(clientId: number, who: { name: string | null; role: string }): void {
    const state = this.awareness.getStates().get(clientId) as { user?: unknown } | undefined;
    if (!state) return;
    const user = state.user && typeof state.user === "object" ? (state.user as Record<string, unknown>) : {};
    state.user = { ...user, name: who.name ?? "Visitor", role: who.role };
  }

  /** Applies an awareness update from a peer; refuses one that cannot be read. */
  applyAwareness(peer: Peer, update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer);
  }

  removePeer(peer: Peer): void {
    this.peers.delete(peer);
    const owned = this.awarenessOf.get(peer);
    this.awarenessOf.delete(peer);
    if (owned && owned.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...owned], null);
  }

  private broadcast(message: Uint8Array, exceptConnection: number | null): void {
    for (const peer of this.peers) if (peer.id !== exceptConnection) peer.send(message);
  }

  /**
   * Applies updates another process stored (the command line, while the server runs) and sends them to
   * the peers, so that they are neither missed nor dropped by the next compaction.
   */
  catchUp(): number {
    if (this.storageFailed) return 0;
    let applied = 0;
    for (const row of this.store.updatesAfter(this.name, this.seenSeq)) {
      this.seenSeq = row.seq;
      if (this.ownSeqs.delete(row.seq)) continue;
      try {
        Y.applyUpdate(this.ydoc, row.data, EXTERNAL_ORIGIN);
        applied++;
      } catch (error) {
        this.options.log.error(
          `update ${row.seq} of "${this.name}" stored by another process cannot be applied: ${(error as Error).message}`,
        );
      }
    }
    this.ownSeqs.clear();
    if (this.lastSeq < this.seenSeq) this.lastSeq = this.seenSeq;
    return applied;
  }

  /** Replaces the stored log with one snapshot of what this document holds (only applied updates). */
  compact(): void {
    if (this.storageFailed) return;
    this.catchUp();
    const snapshot = Y.encodeStateAsUpdate(this.ydoc);
    this.store.compact(this.name, snapshot, this.lastSeq);
    this.sizeBound = snapshot.byteLength;
    this.appendsSinceCompact = 0;
  }

  destroy(): void {
    this.awareness.destroy();
    this.ydoc.destroy();
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/**
 * One open document: its `Y.Doc`, its awareness, the connections editing it, and the rule that every
 * change is stored before anyone else sees it. Storing is asynchronous (PostgreSQL is across a network):
 * a change is applied here at once, its update queued to the store in order, and sent to the peers (and
 * to the other servers, through the relay) only once the store has it.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { type ChangeSummary, summarizeTransaction } from "../schema/changeSummary.ts";
import { isOrigin, type Origin, STORAGE_ORIGIN } from "../schema/origin.ts";
import { CloseCode } from "./closeCodes.ts";
import type { Log } from "./log.ts";
import type { Peer, Relay } from "./peer.ts";
import { encodeAwareness, encodeUpdate } from "./protocol.ts";
import { type AsyncStore, appendInCommits, PartlyAppended } from "./store/asyncStore.ts";
import type { Append } from "./store.ts";
import { type CheckResult, checkUpdate, type UpdateRules } from "./updateCheck.ts";
import { type UpdateFormat, WholeState, type WholeStateAnswer } from "./wholeState.ts";

export type { Peer, Relay } from "./peer.ts";

export interface DocumentOptions {
  rules: UpdateRules;
  /** Compact the stored log into a snapshot after this many appended updates. */
  compactEvery: number;
  /** Largest encoded size of the whole document, in bytes. */
  maxDocumentBytes: number;
  log: Log;
  relay?: Relay | null;
}

export type ApplyResult =
  | { ok: true; changed: boolean }
  | {
      ok: false;
      reason: string;
      storage?: boolean;
      forbidden?: boolean;
      tooLarge?: boolean;
      /** It depends on structs this document lacks (see `CheckResult`): not applied, not an error. */
      missing?: boolean;
    };

/** The most updates, and about the most bytes, stored in one commit. */
const MAX_BATCH = 500;
const MAX_BATCH_BYTES = 4 << 20;

/** The origin of updates another process stored, applied here by `catchUp` or from the relay. */
const EXTERNAL_ORIGIN = Object.freeze({ kind: "storage", external: true });
/** The origin of awareness changes another server relayed: applied and sent on, never relayed back. */
const RELAYED_ORIGIN = Object.freeze({ kind: "relay" });

export class OpenDocument {
  readonly ydoc = new Y.Doc();
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<Peer>();
  /** Awareness client ids each peer speaks for, removed when the peer leaves. */
  private readonly awarenessOf = new Map<Peer, Set<number>>();
  private lastSeq: number;
  /** Every stored update up to this sequence number is in this document. */
  private seenSeq: number;
  /** Sequence numbers above `seenSeq` already in this document (its own appends, relayed updates). */
  private readonly knownSeqs = new Set<number>();
  private appendsSinceCompact = 0;
  /** The summary of the transaction whose update is about to be stored (see the constructor). */
  private pendingSummary: ChangeSummary | null = null;
  /** What fresh peers are sent, kept across changes. */
  private readonly wholeState = new WholeState(this.ydoc);
  /**
   * An upper bound of the encoded size, for the size cap: the real size at load and at each compaction,
   * plus the bytes of every update since (re-encoding the document per update would cost more than the
   * update itself).
   */
  private sizeBound = 0;
  private storageFailed: string | null = null;
  /** The store's queue for this document: appends, catch-ups and compactions, one after another. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Changes applied but not yet stored. */
  private unstored = 0;
  /** Updates applied and waiting for the store's next commit (`write`), in order. */
  private readonly unwritten: (Append & { sender: number | null })[] = [];

  /** Loads a document from the store. */
  static async open(name: string, store: AsyncStore, options: DocumentOptions): Promise<OpenDocument> {
    return new OpenDocument(name, store, options, await store.load(name));
  }

  private constructor(
    readonly name: string,
    private readonly store: AsyncStore,
    private readonly options: DocumentOptions,
    stored: { updates: Uint8Array[]; lastSeq: number },
  ) {
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
    this.awareness.on(
      "update",
      ({ added, updated, removed }: Record<"added" | "updated" | "removed", number[]>, origin: unknown) => {
        const changed = [...added, ...updated, ...removed];
        if (origin instanceof Object && this.awarenessOf.has(origin as Peer)) {
          const peer = origin as Peer;
          const owned = this.awarenessOf.get(peer) as Set<number>;
          for (const id of added) owned.add(id);
          for (const id of removed) owned.delete(id);
          const who = peer.identity?.();
          if (who) for (const id of [...added, ...updated]) this.stampIdentity(id, who);
        }
        const message = encodeAwareness(this.awareness, changed);
        this.broadcast(message, null);
        if (origin !== RELAYED_ORIGIN && changed.length > 0)
          this.options.relay?.awareness(
            this.name,
            awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed),
          );
      },
    );
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
    if (this.storageFailed) return { ok: false, reason: this.storageFailed, storage: true };
    const check: CheckResult = checkUpdate(this.ydoc, update, this.options.rules, writable);
    if (!check.ok) return check;
    if (update.byteLength + this.sizeBound > this.options.maxDocumentBytes) {
      return {
        ok: false,
        tooLarge: true,
        reason: `the document would exceed its limit of ${this.options.maxDocumentBytes} bytes`,
      };
    }
    const before = this.unstored;
    try {
      Y.applyUpdate(this.ydoc, update, origin);
    } catch (error) {
      return { ok: false, reason: `update could not be applied (${(error as Error).message})` };
    }
    return { ok: true, changed: this.unstored !== before };
  }

  /**
   * Applies a change made on the server (a restore, an import) through the same store-then-send path;
   * resolves once it is stored.
   */
  transact(origin: Origin, change: (doc: Y.Doc) => void): Promise<void> {
    if (this.storageFailed) return Promise.reject(new Error(this.storageFailed));
    this.ydoc.transact(() => change(this.ydoc), origin);
    return this.flushed();
  }

  /** Resolves once every change applied so far is stored; rejects if storing one of them failed. */
  flushed(): Promise<void> {
    return this.queue.then(() => {
      if (this.storageFailed) throw new Error(this.storageFailed);
    });
  }

  /**
   * Resolves at a moment when everything this document holds is stored: what is read from it then, before
   * anything else is awaited, may be sent to anyone. Changes may arrive while waiting, hence the loop.
   */
  async settled(): Promise<void> {
    while (this.unstored > 0) await this.flushed();
  }

  /** Runs `work` after everything queued for the store, in turn. */
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => {});
    return next;
  }

  private onUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === STORAGE_ORIGIN) return;
    this.wholeState.changed(update);
    this.sizeBound += update.byteLength;
    if (origin === EXTERNAL_ORIGIN) {
      // Already stored by the server that made it: only the peers need it.
      this.broadcast(encodeUpdate(update), null);
      return;
    }
    const user =
      isOrigin(origin) && (origin.kind === "connection" || origin.kind === "server" || origin.kind === "ocr")
        ? origin.user
        : null;
    const sender = isOrigin(origin) && origin.kind === "connection" ? origin.connectionId : null;
    this.unwritten.push({ update, user, summary: this.pendingSummary, sender });
    this.pendingSummary = null;
    this.unstored++;
    // One write queued per MAX_BATCH waiting updates, as they arrive: whatever waits on the queue
    // (`flushed`, an unload's compaction) then waits for the commits of every update before it.
    if ((this.unwritten.length - 1) % MAX_BATCH === 0) void this.enqueue(() => this.write());
  }

  /** Stores the waiting updates in one commit (one each held PostgreSQL to 400 a second), sends each on. */
  private async write(): Promise<void> {
    const batch = this.unwritten.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    let seqs: number[] = [];
    let failure = this.storageFailed;
    if (!failure)
      try {
        seqs = await appendInCommits(this.store, this.name, batch, MAX_BATCH_BYTES);
      } catch (error) {
        // Those stored by the commits before the one that failed are sent on; the rest are not.
        seqs = error instanceof PartlyAppended ? error.stored : [];
        failure = `the update could not be stored (${(error as Error).message})`;
      }
    batch.slice(0, seqs.length).forEach(({ update, sender }, i) => {
      const seq = seqs[i] as number;
      this.unstored--;
      if (seq > this.lastSeq) this.lastSeq = seq;
      if (seq > this.seenSeq) this.knownSeqs.add(seq);
      this.appendsSinceCompact++;
      // Stored: now, and only now, anyone may see it.
      this.broadcast(encodeUpdate(update), sender);
      this.options.relay?.update(this.name, seq, update);
    });
    if (failure) {
      for (const sender of new Set(batch.slice(seqs.length).map((b) => b.sender)))
        this.failStorage(failure, sender);
      return;
    }
    if (this.appendsSinceCompact >= this.options.compactEvery)
      await this.compactNow().catch((error: Error) =>
        // Only a longer log: the updates stay stored, and the next compaction tries again.
        this.options.log.warn(`compacting "${this.name}" failed: ${error.message}`),
      );
  }

  /**
   * An update is in memory but not in the store: nobody may see it. Its sender is closed with 4500 (it
   * resends on reconnect, to a fresh copy loaded from the store); every other writer is closed when it
   * next writes; readers go on reading what they have until the registry replaces this copy.
   */
  private failStorage(reason: string, sender: number | null): void {
    if (!this.storageFailed) this.options.log.error(`storing an update of "${this.name}" failed: ${reason}`);
    this.storageFailed ??= reason;
    for (const peer of [...this.peers]) if (peer.id === sender) peer.close(CloseCode.storageFailure, reason);
  }

  /**
   * Ends a copy replaced by a fresh load (its remaining peers reconnect to the new one), or one whose
   * document was deleted (they are told so, and do not).
   */
  retire(deleted = false): void {
    for (const peer of [...this.peers])
      if (deleted) peer.close(CloseCode.unknownDocument, `document "${this.name}" was deleted`.slice(0, 120));
      else peer.close(CloseCode.storageFailure, "the store is reachable again: reconnect to resynchronise");
  }

  /** Whether a storage failure left this copy unusable; the registry loads a fresh one. */
  get failed(): boolean {
    return this.storageFailed !== null;
  }

  /**
   * Everything a peer with this state vector lacks, in Yjs's first or second update format, once all
   * this document holds is stored (a change on its way to the store is not sent). A fresh peer is sent
   * the kept whole state and, when there is one, a v1 update of what changed since (`WholeState`).
   */
  async diffFor(stateVector: Uint8Array, format: UpdateFormat = "v1"): Promise<WholeStateAnswer> {
    // Waited here, not in settled(): returning from it takes microtasks, in which a route's change could land.
    while (this.unstored > 0) await this.flushed();
    if (stateVector.byteLength === 1 && stateVector[0] === 0) return this.wholeState.answer(format);
    const encode = format === "v2" ? Y.encodeStateAsUpdateV2 : Y.encodeStateAsUpdate;
    return { state: encode(this.ydoc, stateVector), since: null };
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

  /** Applies an awareness update another server relayed (its peers' identities already stamped). */
  applyRelayedAwareness(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, RELAYED_ORIGIN);
  }

  /**
   * Applies an update another server stored with sequence number `seq` and sent through the relay; an
   * update already here (or one the relay delivers twice) changes nothing.
   */
  applyRelayed(seq: number, update: Uint8Array): void {
    if (this.storageFailed || seq <= this.seenSeq || this.knownSeqs.has(seq)) return;
    try {
      Y.applyUpdate(this.ydoc, update, EXTERNAL_ORIGIN);
      this.knownSeqs.add(seq);
      if (seq > this.lastSeq) this.lastSeq = seq;
    } catch (error) {
      this.options.log.error(
        `update ${seq} of "${this.name}" relayed by another server cannot be applied: ${(error as Error).message}`,
      );
    }
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
   * Applies updates other processes stored (the command line, another server whose relay message this one
   * missed) and sends them to the peers, so that they are neither missed nor dropped by the next
   * compaction. Resolves to how many it applied.
   */
  catchUp(): Promise<number> {
    return this.enqueue(() => this.catchUpNow());
  }

  private async catchUpNow(): Promise<number> {
    if (this.storageFailed) return 0;
    let applied = 0;
    for (const row of await this.store.updatesAfter(this.name, this.seenSeq)) {
      this.seenSeq = row.seq;
      // A snapshot another server compacted into holds updates this copy may never have seen: always applied.
      if (this.knownSeqs.delete(row.seq) && !row.snapshot) continue;
      try {
        Y.applyUpdate(this.ydoc, row.data, EXTERNAL_ORIGIN);
        applied++;
      } catch (error) {
        this.options.log.error(
          `update ${row.seq} of "${this.name}" stored by another process cannot be applied: ${(error as Error).message}`,
        );
      }
    }
    for (const seq of this.knownSeqs) if (seq <= this.seenSeq) this.knownSeqs.delete(seq);
    if (this.lastSeq < this.seenSeq) this.lastSeq = this.seenSeq;
    return applied;
  }

  /** Replaces the stored log with one snapshot of what this document holds (only stored updates). */
  compact(): Promise<void> {
    return this.enqueue(() => this.compactNow());
  }

  private async compactNow(): Promise<void> {
    // A change still queued behind this compaction would be in its snapshot before it is acknowledged
    // as stored: the next append's compaction, or the unload's, takes its turn.
    if (this.storageFailed || this.unstored > 0) return;
    // Two servers never compact one document at once; the one that finds it held skips this round.
    await this.store.withDocumentLock(this.name, async () => {
      await this.catchUpNow();
      // Everything applied is stored (nothing is queued behind this) and everything stored up to
      // `seenSeq` is applied. Not `lastSeq`: a relayed update may have raised it past a sequence number
      // still on its way, which the snapshot would lack.
      const upTo = this.seenSeq;
      const snapshot = Y.encodeStateAsUpdate(this.ydoc);
      await this.store.compact(this.name, snapshot, upTo);
      this.sizeBound = snapshot.byteLength;
      this.appendsSinceCompact = 0;
    });
  }

  destroy(): void {
    this.awareness.destroy();
    this.ydoc.destroy();
  }
}

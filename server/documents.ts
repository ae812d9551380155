/**
 * The documents open in this server process: opened on first use, shared by all their connections,
 * compacted and unloaded after they have been idle for a while.
 */
import { type DocumentOptions, OpenDocument } from "./document.ts";
import type { AsyncStore } from "./store/asyncStore.ts";

export class Documents {
  private readonly open = new Map<string, OpenDocument>();
  /** Documents being loaded: two connections arriving at once share one load. */
  private readonly loading = new Map<string, Promise<OpenDocument | null>>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  /** Ends each open document's subscription to what other servers store. */
  private readonly unfollow = new Map<OpenDocument, () => void>();

  private readonly poll: NodeJS.Timeout;

  constructor(
    private readonly store: AsyncStore,
    private readonly options: DocumentOptions & {
      unloadAfterMs: number;
      /** Subscribes an opened document to what other servers store (the bus); resolves to its end. */
      follow?: ((doc: OpenDocument) => Promise<() => void>) | null;
    },
  ) {
    // Picks up what the command line (SQLite in WAL mode allows both) or another server stores while this
    // one runs, should a relayed message have been missed.
    this.poll = setInterval(() => {
      for (const doc of this.open.values()) {
        // A copy whose storage failed is replaced as soon as the store answers again, so that its
        // readers do not wait for the next person to open the document.
        const next = doc.failed ? this.get(doc.name).then((d) => d && this.release(d)) : doc.catchUp();
        next.catch((error: Error) =>
          this.options.log.warn(`catching up "${doc.name}" failed: ${error.message}`),
        );
      }
    }, 2000);
    this.poll.unref();
  }

  /**
   * The open document of that name, loading it from the store; null when the store has none. A copy whose
   * storage failed is replaced by a fresh load (which fails in turn while the store is unreachable).
   */
  async get(name: string): Promise<OpenDocument | null> {
    const existing = this.open.get(name);
    if (existing && !existing.failed) {
      this.cancelUnload(name);
      await existing.catchUp();
      return existing;
    }
    const pending = this.loading.get(name);
    if (pending) return pending;
    const load = (async () => {
      if (!(await this.store.hasDocument(name))) return null;
      const doc = await OpenDocument.open(name, this.store, this.options);
      if (this.options.follow) {
        this.unfollow.set(doc, await this.options.follow(doc));
        try {
          // What another server stored between the load and the subscription.
          await doc.catchUp();
        } catch (error) {
          this.free(doc);
          throw error;
        }
      }
      if (existing) {
        // The failed copy's readers move to the fresh one (what it holds beyond the store was never sent).
        this.cancelUnload(name);
        existing.retire();
        this.free(existing);
      }
      this.open.set(name, doc);
      return doc;
    })();
    this.loading.set(name, load);
    try {
      return await load;
    } finally {
      this.loading.delete(name);
    }
  }

  /** The copy of a document in memory now, if any (the relay delivers to it). */
  opened(name: string): OpenDocument | null {
    return this.open.get(name) ?? null;
  }

  /** Runs `use` on a document (loading it if needed) and releases it again; null when there is none. */
  async with<T>(name: string, use: (doc: OpenDocument) => T | Promise<T>): Promise<Awaited<T> | null> {
    const doc = await this.get(name);
    if (!doc) return null;
    try {
      // What `use` reads at once is stored: an HTTP answer never holds a keystroke still on its way.
      await doc.settled();
      return await use(doc);
    } finally {
      this.release(doc);
    }
  }

  /** Whether a document is in memory now. */
  isOpen(name: string): boolean {
    return this.open.has(name);
  }

  /** Called when a connection leaves: an unused document is unloaded after the idle delay. */
  release(doc: OpenDocument): void {
    if (this.open.get(doc.name) !== doc) return;
    if (doc.failed) {
      if (doc.peers.size === 0) void this.unload(doc.name);
      return;
    }
    if (doc.peers.size > 0) return;
    this.cancelUnload(doc.name);
    const timer = setTimeout(() => void this.unload(doc.name), this.options.unloadAfterMs);
    timer.unref();
    this.idleTimers.set(doc.name, timer);
  }

  private cancelUnload(name: string): void {
    const timer = this.idleTimers.get(name);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(name);
  }

  /**
   * Frees one document, compacting it first unless its storage failed; resolves once the compaction is
   * done (or failed, which only leaves a longer log: nothing stored is lost).
   */
  async unload(name: string): Promise<void> {
    this.cancelUnload(name);
    const doc = this.open.get(name);
    if (!doc) return;
    this.open.delete(name);
    try {
      if (!doc.failed) await doc.compact();
    } catch (error) {
      this.options.log.warn(`compacting "${name}" before unloading failed: ${(error as Error).message}`);
    } finally {
      this.free(doc);
    }
  }

  private free(doc: OpenDocument): void {
    this.unfollow.get(doc)?.();
    this.unfollow.delete(doc);
    doc.destroy();
  }

  /**
   * Frees, without compacting, the copies of documents the store no longer has (their edition was
   * deleted, on this server or another): none is served or compacted over a document re-created since.
   */
  async dropDeleted(): Promise<void> {
    for (const [name, doc] of [...this.open]) {
      if (await this.store.hasDocument(name)) continue;
      if (this.open.get(name) !== doc) continue;
      this.open.delete(name);
      this.cancelUnload(name);
      doc.retire(true);
      this.free(doc);
    }
  }

  /** Unloads every document; used at shutdown. */
  async closeAll(): Promise<void> {
    clearInterval(this.poll);
    await Promise.all([...this.open.keys()].map((name) => this.unload(name)));
  }
}

/**
 * The documents open in this server process: opened on first use, shared by all their connections,
 * compacted and unloaded after they have been idle for a while.
 */
import { type DocumentOptions, OpenDocument } from "./document.ts";
import type { Store } from "./store.ts";

export class Documents {
  private readonly open = new Map<string, OpenDocument>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();

  private readonly poll: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly options: DocumentOptions & { unloadAfterMs: number },
  ) {
    // Picks up what the command line stores while the server runs (SQLite in WAL mode allows both).
    this.poll = setInterval(() => {
      for (const doc of this.open.values()) doc.catchUp();
    }, 2000);
    this.poll.unref();
  }

  /** The open document of that name, loading it from the store; null when the store has none. */
  get(name: string): OpenDocument | null {
    const existing = this.open.get(name);
    if (existing) {
      this.cancelUnload(name);
      existing.catchUp();
      return existing;
    }
    if (!this.store.hasDocument(name)) return null;
    const doc = new OpenDocument(name, this.store, this.options);
    this.open.set(name, doc);
    return doc;
  }

  /** Runs `use` on a document (loading it if needed) and releases it again; null when there is none. */
  with<T>(name: string, use: (doc: OpenDocument) => T): T | null {
    const doc = this.get(name);
    if (!doc) return null;
    try {
      return use(doc);
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
    if (doc.failed) {
      this.unload(doc.name);
      return;
    }
    if (doc.peers.size > 0) return;
    this.cancelUnload(doc.name);
    const timer = setTimeout(() => this.unload(doc.name), this.options.unloadAfterMs);
    timer.unref();
    this.idleTimers.set(doc.name, timer);
  }

  private cancelUnload(name: string): void {
    const timer = this.idleTimers.get(name);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(name);
  }

  /** Compacts (unless its storage failed) and frees one document. */
  unload(name: string): void {
    this.cancelUnload(name);
    const doc = this.open.get(name);
    if (!doc) return;
    this.open.delete(name);
    doc.compact();
    doc.destroy();
  }

  /** Unloads every document; used at shutdown. */
  closeAll(): void {
    clearInterval(this.poll);
    for (const name of [...this.open.keys()]) this.unload(name);
  }
}

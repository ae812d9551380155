/**
 * The reading half of the Redis bus: one dedicated connection looping `XREAD BLOCK` over every
 * subscribed stream (and the access stream), each from the last ID it handled. It resumes by ID after
 * the connection comes back, fixes every place anew when Redis itself was restarted (its run id changed:
 * the streams are gone), and tells feeds `gap()` whenever messages may have been missed.
 */
import { RESP_TYPES } from "redis";
import type { Log } from "../log.ts";
import type { DocumentFeed, Unsubscribe } from "./bus.ts";
import type { RedisConnection } from "./redisConnection.ts";
import { compareIds, type Entry, entries, fieldsOf, trimmedPast } from "./streamReply.ts";

/** Blob strings as Buffers: entries carry binary data. */
export const BINARY = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e);
}

/** One subscription's place in its stream: the last ID it has handled, null until that is fixed. */
interface Subscription {
  feed: DocumentFeed;
  last: string | null;
  /** A stream ID is being asked for on the command connection. */
  fixing: boolean;
  /** The feed must be told `gap()` once its place is fixed (it was fixed late). */
  owesGap: boolean;
}

/** The ID of the stream's newest entry ("0-0" for an empty or missing stream): where a new reader starts. */
async function tailId(client: RedisConnection, key: string): Promise<string> {
  const reply = await client.sendCommand(["XREVRANGE", key, "+", "-", "COUNT", "1"]);
  const first = Array.isArray(reply) ? reply[0] : undefined;
  return Array.isArray(first) ? String(first[0]) : "0-0";
}

async function runId(client: RedisConnection): Promise<string> {
  const info = String(await client.sendCommand(["INFO", "server"]));
  return /run_id:(\w+)/.exec(info)?.[1] ?? "";
}

export interface StreamReaderOptions {
  nodeId: string;
  log: Log;
  /** Entries read per stream per XREAD: at most the streams' trimmed length (see `deliver`). */
  count: number;
  blockMs: number;
  accessKey: string;
  /** The Redis address, for log lines. */
  where: string;
}

export class StreamReader {
  private readonly nodeId: string;
  private readonly log: Log;
  private readonly count: number;
  private readonly blockMs: number;
  private readonly accessKey: string;
  private readonly where: string;
  private accessLast = "0-0";
  private readonly accessHandlers: Array<() => void> = [];
  private readonly streams = new Map<string, Set<Subscription>>();
  private closed = false;
  private paused = false;
  private idle: (() => void) | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  /** Counts the reader's (re)connections; the loop resumes after each one it has not handled. */
  private readerEpoch = 1;
  private handledEpoch = 1;
  private redisRun = "";

  /** `reader` is this loop's alone (it blocks); `commands` fixes a new subscription's place at once. */
  constructor(
    private readonly reader: RedisConnection,
    private readonly commands: RedisConnection,
    options: StreamReaderOptions,
  ) {
    this.nodeId = options.nodeId;
    this.log = options.log;
    this.count = options.count;
    this.blockMs = options.blockMs;
    this.accessKey = options.accessKey;
    this.where = options.where;
    reader.on("ready", () => {
      this.readerEpoch++;
      this.poke();
    });
  }

  async start(): Promise<void> {
    this.redisRun = await runId(this.reader);
    this.accessLast = await tailId(this.reader, this.accessKey);
    this.loopDone = this.loop();
  }

  /** Starts reading `key` for `feed` from its current tail (see `Unsubscribe.ready`); `what` names it in the log. */
  add(key: string, feed: DocumentFeed, what: string): Unsubscribe {
    const sub: Subscription = { feed, last: null, fixing: true, owesGap: false };
    let subs = this.streams.get(key);
    if (!subs) {
      subs = new Set();
      this.streams.set(key, subs);
    }
    subs.add(sub);
    const ready = tailId(this.commands, key).then(
      (id) => {
        sub.fixing = false;
        // A reconnection may have fixed it meanwhile (and owes it a gap): keep that.
        if (sub.last === null) sub.last = id;
      },
      (e) => {
        sub.fixing = false;
        sub.owesGap = true;
        if (!this.closed) {
          this.log.warn(
            `Redis bus: subscribing to ${what} waits for Redis (${messageOf(e)}); it will catch up from the store`,
          );
        }
        this.poke();
      },
    );
    const unsubscribe = () => {
      const current = this.streams.get(key);
      current?.delete(sub);
      if (current?.size === 0) this.streams.delete(key);
    };
    return Object.assign(unsubscribe, { ready });
  }

  onAccessChanged(handler: () => void): void {
    this.accessHandlers.push(handler);
  }

  async pause(): Promise<() => void> {
    this.paused = true;
    await new Promise<void>((resolve) => {
      this.idle = resolve;
      this.poke();
    });
    return () => {
      this.paused = false;
      this.poke();
    };
  }

  /** Stops the loop and drops the reader connection (it may sit in XREAD BLOCK: not worth waiting for). */
  async close(): Promise<void> {
    this.closed = true;
    this.idle?.();
    this.poke();
    this.reader.destroy();
    await this.loopDone;
  }

  /** Waits up to `ms`, or until poked (the reader reconnected, a subscription needs it, closing, pausing). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wake === done) self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  private poke(): void {
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.closed) {
      if (this.paused) {
        this.idle?.();
        this.idle = null;
        await this.sleep(1000);
        continue;
      }
      if (!this.reader.isReady) {
        await this.sleep(1000);
        continue;
      }
      try {
        if (this.handledEpoch !== this.readerEpoch) await this.resume();
        await this.fixLate();
        await this.readOnce();
      } catch (e) {
        if (this.closed) break;
        // Lost connections are logged once by the connection itself; anything else is logged here.
        if (this.reader.isReady) this.log.warn(`Redis bus: reading the streams failed: ${messageOf(e)}`);
        await this.sleep(100);
      }
    }
  }

  /**
   * After the reader reconnected: a restarted Redis (new run id) lost the streams, so every place is
   * fixed again at the new tails; otherwise the loop resumes by ID. Either way every feed hears `gap()`
   * (messages published while we were away may be gone) and every access handler runs.
   */
  private async resume(): Promise<void> {
    const epoch = this.readerEpoch;
    const run = await runId(this.reader);
    if (run !== this.redisRun) {
      this.accessLast = await tailId(this.reader, this.accessKey);
      for (const subs of this.streams.values()) for (const s of subs) s.last = null;
    }
    for (const [key, subs] of this.streams) {
      const pending = [...subs].filter((s) => s.last === null);
      if (pending.length === 0) continue;
      const id = await tailId(this.reader, key);
      for (const s of pending) s.last = id;
    }
    this.redisRun = run;
    this.handledEpoch = epoch;
    this.log.info(`Redis bus: resumed reading ${this.streams.size} document stream(s) from ${this.where}`);
    for (const subs of this.streams.values()) {
      for (const s of [...subs]) {
        s.owesGap = false;
        this.tell(() => s.feed.gap(), "a gap");
      }
    }
    for (const h of this.accessHandlers) this.tell(h, "an access change");
  }

  /** Subscriptions whose place could not be fixed when they were made: fixed now, then told `gap()`. */
  private async fixLate(): Promise<void> {
    for (const [key, subs] of this.streams) {
      const late = [...subs].filter((s) => s.last === null && !s.fixing);
      if (late.length === 0) continue;
      const id = await tailId(this.reader, key);
      for (const s of late) s.last = id;
    }
    for (const subs of this.streams.values()) {
      for (const s of [...subs]) {
        if (s.owesGap && s.last !== null) {
          s.owesGap = false;
          this.tell(() => s.feed.gap(), "a gap");
        }
      }
    }
  }

  private async readOnce(): Promise<void> {
    // Each stream is read from the earliest place among its subscriptions.
    const keys = [this.accessKey];
    const ids = [this.accessLast];
    for (const [key, subs] of this.streams) {
      let from: string | null = null;
      for (const s of subs)
        if (s.last !== null && (from === null || compareIds(s.last, from) < 0)) from = s.last;
      if (from === null) continue;
      keys.push(key);
      ids.push(from);
    }
    const reply = await this.reader.sendCommand(
      ["XREAD", "COUNT", String(this.count), "BLOCK", String(this.blockMs), "STREAMS", ...keys, ...ids],
      BINARY,
    );
    for (const [key, batch] of entries(reply)) {
      if (key === this.accessKey) this.deliverAccess(batch);
      else await this.deliver(key, batch);
    }
  }

  private deliverAccess(batch: Entry[]): void {
    for (const { id, fields } of batch) {
      this.accessLast = id;
      if (fields.get("node")?.toString() === this.nodeId) continue;
      for (const h of this.accessHandlers) this.tell(h, "an access change");
    }
  }

  private async deliver(key: string, batch: Entry[]): Promise<void> {
    const subs = this.streams.get(key);
    if (!subs || batch.length === 0) return;
    if (batch.length >= this.count) {
      // A full batch: we may be behind far enough for trimming to have passed us (see trimmedPast).
      let info: unknown = null;
      try {
        info = await this.reader.sendCommand(["XINFO", "STREAM", key], BINARY);
      } catch (e) {
        this.log.warn(`Redis bus: checking stream ${key} for trimmed entries failed: ${messageOf(e)}`);
      }
      for (const s of subs) {
        if (s.last !== null && trimmedPast(info, s.last)) {
          this.log.warn(
            `Redis bus: stream ${key} was trimmed past this node's place; catching up from the store`,
          );
          this.tell(() => s.feed.gap(), "a gap");
        }
      }
    }
    for (const { id, fields } of batch) {
      const message = fieldsOf(fields, key, id, this.log);
      for (const s of [...subs]) {
        if (s.last === null || compareIds(id, s.last) <= 0) continue;
        s.last = id;
        if (message && fields.get("node")?.toString() !== this.nodeId) {
          this.tell(() => s.feed.message(message), `a message of ${key}`);
        }
      }
    }
  }

  /** Runs a feed's or handler's callback; what it throws is logged, never let into the loop. */
  private tell(callback: () => void, what: string): void {
    try {
      callback();
    } catch (e) {
      this.log.error(`Redis bus: delivering ${what} failed: ${messageOf(e)}`);
    }
  }
}

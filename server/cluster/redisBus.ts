/**
 * The bus over Redis Streams, after y-redis: one stream per document (`<prefix>doc:<name>`), appended with
 * XADD and trimmed to about `maxLen` entries (everything in it is already durable in PostgreSQL, so
 * trimming loses nothing), and read by one dedicated connection looping `XREAD BLOCK` over every
 * subscribed stream from the last ID it handled. Access changes go through one more stream
 * (`<prefix>access`) read by the same loop. A node that may have missed messages — Redis was unreachable
 * or restarted, or the stream was trimmed past its position — is told so with `gap()` and catches up from
 * the store by sequence number.
 */
import { randomUUID } from "node:crypto";
import type { Log } from "../log.ts";
import type { Bus, BusMessage, DocumentFeed, Unsubscribe } from "./bus.ts";
import { connectRedis, type RedisConnection, redactedUrl } from "./redisConnection.ts";
import { messageOf, StreamReader } from "./streamReader.ts";

export interface RedisBusOptions {
  /** This node's name in every message it publishes; a random UUID when omitted. */
  nodeId?: string;
  log: Log;
  /** About how many entries a document's stream keeps (approximate trimming); 10,000 when omitted. */
  maxLen?: number;
  /** What every key starts with, so several clusters can share one Redis; `variorum:` when omitted. */
  prefix?: string;
  /** How long one XREAD blocks (ms), which bounds how long a new subscription waits to be read; 100 when omitted. */
  blockMs?: number;
}

/** The Redis bus, with the command connection it publishes on (for other shared state, such as rate limits). */
export interface RedisBus extends Bus {
  /** The command connection: never the blocked reader's. */
  readonly commands: RedisConnection;
  /**
   * Stops reading the streams, as a node stalled by a long task would, until the returned function is
   * called; resolves once the reader is idle. For tests of falling behind.
   */
  pauseReading(): Promise<() => void>;
}

/** Opens the command and reader connections and starts reading; rejects when Redis cannot be reached at start. */
export async function openRedisBus(url: string, options: RedisBusOptions): Promise<RedisBus> {
  const { log } = options;
  const commands = await connectRedis(url, log, "Redis publisher");
  let reader: RedisConnection;
  try {
    reader = await connectRedis(url, log, "Redis reader");
  } catch (e) {
    commands.destroy();
    throw e;
  }
  const bus = new StreamBus(commands, reader, options, redactedUrl(url));
  try {
    await bus.start();
  } catch (e) {
    commands.destroy();
    reader.destroy();
    throw new Error(`Redis bus: cannot read from Redis at ${redactedUrl(url)}: ${messageOf(e)}`);
  }
  return bus;
}

class StreamBus implements RedisBus {
  readonly nodeId: string;
  private readonly log: Log;
  private readonly maxLen: number;
  private readonly prefix: string;
  private readonly accessKey: string;
  private readonly reader: StreamReader;
  private closed = false;

  constructor(
    readonly commands: RedisConnection,
    private readonly readerConnection: RedisConnection,
    options: RedisBusOptions,
    private readonly where: string,
  ) {
    this.nodeId = options.nodeId ?? randomUUID();
    this.log = options.log;
    this.maxLen = Math.max(1, Math.floor(options.maxLen ?? 10_000));
    this.prefix = options.prefix ?? "variorum:";
    this.accessKey = `${this.prefix}access`;
    this.reader = new StreamReader(readerConnection, commands, {
      nodeId: this.nodeId,
      log: this.log,
      count: Math.min(500, this.maxLen),
      blockMs: Math.max(1, Math.floor(options.blockMs ?? 100)),
      accessKey: this.accessKey,
      where,
    });
  }

  get connected(): boolean {
    return this.commands.isReady && this.readerConnection.isReady;
  }

  start(): Promise<void> {
    return this.reader.start();
  }

  private key(doc: string): string {
    return `${this.prefix}doc:${doc}`;
  }

  async publish(doc: string, m: BusMessage): Promise<void> {
    const data = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
    const seq = m.kind === "update" ? ["seq", String(m.seq)] : [];
    const what = m.kind === "update" ? `update ${m.seq}` : "awareness";
    if (this.closed) throw new Error(`cannot publish ${what} of document "${doc}": the Redis bus is closed`);
    try {
      await this.commands.sendCommand([
        "XADD",
        this.key(doc),
        "MAXLEN",
        "~",
        String(this.maxLen),
        "*",
        "node",
        this.nodeId,
        "kind",
        m.kind,
        ...seq,
        "data",
        data,
      ]);
    } catch (e) {
      throw new Error(
        `publishing ${what} of document "${doc}" to Redis at ${this.where} failed: ${messageOf(e)}`,
      );
    }
  }

  subscribe(doc: string, feed: DocumentFeed): Unsubscribe {
    return this.reader.add(this.key(doc), feed, `document "${doc}"`);
  }

  async publishAccessChanged(): Promise<void> {
    if (this.closed) throw new Error("cannot publish an access change: the Redis bus is closed");
    try {
      await this.commands.sendCommand([
        "XADD",
        this.accessKey,
        "MAXLEN",
        "~",
        "1000",
        "*",
        "node",
        this.nodeId,
      ]);
    } catch (e) {
      throw new Error(`publishing an access change to Redis at ${this.where} failed: ${messageOf(e)}`);
    }
  }

  onAccessChanged(handler: () => void): void {
    this.reader.onAccessChanged(handler);
  }

  pauseReading(): Promise<() => void> {
    return this.reader.pause();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.reader.close();
    // The publisher finishes what it sent.
    await this.commands.close().catch(() => this.commands.destroy());
  }
}

/**
 * The fan-out benchmark's clients: bare websockets speaking y-websocket's sync, light enough that a
 * thousand fit in one process. A listener keeps no document: it asks for the server's state as a
 * provider does (sync step 1) and drops the answer, then only notes when each update arrives. A writer
 * holds the document and sends one-character insertions, each as one update message.
 */
import WebSocket from "ws";
import * as Y from "yjs";
import { decodeMessage, encodeSyncStep1, encodeUpdate, MessageType, SyncType } from "../server/protocol.ts";

/** Sync step 1 with an empty state vector: "send me everything", what a fresh provider sends first. */
const ASK_ALL = encodeSyncStep1(new Y.Doc());
const OPEN_TIMEOUT_MS = 30_000;

/** A sync message's first two varuints (both below 128, so one byte each). */
const kind = (b: Buffer, sub: number) => b[0] === MessageType.sync && b[1] === sub;

export interface Listener {
  ws: WebSocket;
  /** Which server (of a cluster) it is connected to. */
  node: number;
  /** Called with the time of receipt and the bytes of every incremental update message. */
  onUpdate: ((at: number, message: Buffer) => void) | null;
  /** How the server closed the socket, if it did before the benchmark closed it. */
  closed: string | null;
}

/** The writer's client id and its clock after an update: how receivers tell which update they got. */
export interface Sent {
  client: number;
  clock: number;
  /** When the message was handed to the socket (`performance.now()`). */
  at: number;
}

export interface Writer {
  ws: WebSocket;
  node: number;
  client: number;
  /** Inserts one character into the writer's paragraph and sends that update. */
  send(): Sent;
}

function opened(ws: WebSocket, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${url}: no connection in ${OPEN_TIMEOUT_MS} ms`)),
      OPEN_TIMEOUT_MS,
    );
    ws.once("open", () => {
      clearTimeout(timer);
      resolve();
    });
    ws.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`${url}: ${error.message}`));
    });
    ws.once("unexpected-response", (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`${url}: the upgrade was refused with HTTP ${res.statusCode}`));
    });
  });
}

/**
 * Resolves with the server's sync step 2 (the answer to `ASK_ALL`) and the updates sent before it (to a
 * fresh peer, what changed since the whole state it keeps encoded).
 */
function stepTwo(ws: WebSocket, url: string): Promise<{ step2: Buffer; before: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${url}: no sync step 2 in ${OPEN_TIMEOUT_MS} ms`)),
      OPEN_TIMEOUT_MS,
    );
    const before: Buffer[] = [];
    const on = (data: Buffer) => {
      if (kind(data, SyncType.update)) before.push(data);
      if (!kind(data, SyncType.step2)) return;
      clearTimeout(timer);
      ws.off("message", on);
      resolve({ step2: data, before });
    };
    ws.on("message", on);
    ws.once("close", (code, reason) => {
      clearTimeout(timer);
      reject(new Error(`${url}: closed (${code}) before it synced: ${reason}`));
    });
    ws.send(ASK_ALL);
  });
}

/**
 * Connects a listener. With `sync` it asks for the server's state first, as a provider does; the raw
 * relay holds no state, so its listeners only connect.
 */
export async function listen(url: string, node: number, sync: boolean): Promise<Listener> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const listener: Listener = { ws, node, onUpdate: null, closed: null };
  ws.on("error", () => {});
  ws.on("close", (code, reason) => {
    listener.closed ??= `${code} ${reason}`;
  });
  await opened(ws, url);
  if (sync) await stepTwo(ws, url);
  ws.on("message", (data: Buffer) => {
    if (kind(data, SyncType.update)) listener.onUpdate?.(performance.now(), data);
  });
  return listener;
}

/** Connects a writer; `start` is the document to start from when the server holds none (the relay). */
export async function write(
  url: string,
  node: number,
  paragraph: number,
  start: Uint8Array | null,
): Promise<Writer> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on("error", () => {});
  await opened(ws, url);
  const doc = new Y.Doc();
  if (start) Y.applyUpdate(doc, start);
  else {
    const { step2, before } = await stepTwo(ws, url);
    for (const data of [...before, step2]) {
      const m = decodeMessage(new Uint8Array(data));
      if (!m.ok || (m.message.type !== "sync-step-2" && m.message.type !== "update"))
        throw new Error(`${url}: the server's answer cannot be read`);
      Y.applyUpdate(doc, m.message.update);
    }
  }
  // The `paragraph`-th block that starts with text (the writers of the throughput figure take one each).
  const texts = doc
    .getXmlFragment("body")
    .toArray()
    .map((block) => (block instanceof Y.XmlElement ? block.get(0) : null))
    .filter((t): t is Y.XmlText => t instanceof Y.XmlText);
  const text = texts[paragraph % texts.length];
  if (!text) throw new Error(`${url}: the document has no block that starts with text`);
  const last: { update: Uint8Array } = { update: new Uint8Array() };
  doc.on("update", (u: Uint8Array) => {
    last.update = u;
  });
  return {
    ws,
    node,
    client: doc.clientID,
    send: () => {
      text.insert(0, "x");
      const message = encodeUpdate(last.update);
      const at = performance.now();
      ws.send(message);
      return { client: doc.clientID, clock: Y.getState(doc.store, doc.clientID), at };
    },
  };
}

/** The clocks an update message brings, per client (decoded after timing, never while). */
export function clocksOf(message: Buffer): Map<number, number> {
  const m = decodeMessage(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
  if (!m.ok || m.message.type !== "update") return new Map();
  return Y.parseUpdateMeta(m.message.update).to;
}

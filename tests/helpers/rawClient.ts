import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as Y from "yjs";
import { decodeMessage, encodeUpdate, MessageType, SyncType } from "../../server/protocol.ts";

export interface ForgedResult {
  /** How the server closed the socket, if it did. */
  closed: { code: number; reason: string } | null;
  /** The y-protocols "permission denied" reason, if the server sent one. */
  denied: string | null;
}

/**
 * A bare y-websocket client that syncs, makes one change with `change`, sends it as an update and
 * reports what the server did: the way a modified client would forge a write.
 */
export async function forgeUpdate(
  url: string,
  change: (doc: Y.Doc) => void,
  waitMs = 600,
): Promise<ForgedResult> {
  const ws = new WebSocket(url);
  ws.binaryType = "nodebuffer";
  const doc = new Y.Doc();
  let closed: ForgedResult["closed"] = null;
  let denied: string | null = null;
  let synced: () => void = () => {};
  const isSynced = new Promise<void>((r) => {
    synced = r;
  });
  ws.on("message", (data: Buffer) => {
    const m = decodeMessage(new Uint8Array(data));
    if (!m.ok) return;
    if (m.message.type === "sync-step-2") {
      Y.applyUpdate(doc, m.message.update);
      synced();
    } else if (m.message.type === "update") {
      // As any y-protocols client: a fresh client's answer may be preceded by what changed since the
      // server's kept state (server/wholeState.ts).
      Y.applyUpdate(doc, m.message.update);
    } else if (m.message.type === "auth" && m.message.denied) denied = m.message.reason;
  });
  const done = new Promise<void>((resolve) =>
    ws.on("close", (code, reason) => {
      closed = { code, reason: reason.toString() };
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  encoding.writeVarUint(e, SyncType.step1);
  encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
  ws.send(encoding.toUint8Array(e));
  await isSynced;
  const before = Y.encodeStateVector(doc);
  change(doc);
  ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc, before)));
  await Promise.race([done, new Promise((r) => setTimeout(r, waitMs))]);
  ws.close();
  return { closed, denied };
}

/** Whether a websocket upgrade is refused before it happens, and with which HTTP status. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on("open", () => {
      ws.close();
      resolve(101);
    });
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("error", () => {});
  });
}

/** A bare y-websocket peer that stays connected: it syncs, applies what it receives, and sends changes. */
export interface RawPeer {
  ws: WebSocket;
  /** The peer's copy of the document, with every update the server sent it. */
  doc: Y.Doc;
  /** Resolves when the server closes the socket, with the close code, reason and time. */
  closed: Promise<{ code: number; reason: string; at: number }>;
  /** The y-protocols "permission denied" reasons the server sent. */
  denied: string[];
  /** Makes a change on the peer's copy and sends it as one update; false if the socket was not open. */
  change(change: (doc: Y.Doc) => void): boolean;
}

/** Connects a raw peer and resolves once it has the server's state. */
export async function rawPeer(url: string, headers: Record<string, string> = {}): Promise<RawPeer> {
  const ws = new WebSocket(url, { headers });
  ws.binaryType = "nodebuffer";
  const doc = new Y.Doc();
  const denied: string[] = [];
  let synced: () => void = () => {};
  const isSynced = new Promise<void>((r) => {
    synced = r;
  });
  ws.on("message", (data: Buffer) => {
    const m = decodeMessage(new Uint8Array(data));
    if (!m.ok) return;
    if (m.message.type === "sync-step-2" || m.message.type === "update") {
      Y.applyUpdate(doc, m.message.update, "server");
      if (m.message.type === "sync-step-2") synced();
    } else if (m.message.type === "auth" && m.message.denied) denied.push(m.message.reason);
  });
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  encoding.writeVarUint(e, SyncType.step1);
  encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
  ws.send(encoding.toUint8Array(e));
  await isSynced;
  return {
    ws,
    doc,
    closed,
    denied,
    change: (change) => {
      const before = Y.encodeStateVector(doc);
      change(doc);
      if (ws.readyState !== ws.OPEN) return false;
      ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc, before)));
      return true;
    },
  };
}

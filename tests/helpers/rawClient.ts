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

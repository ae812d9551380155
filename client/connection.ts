import { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";
import { SCHEMA_VERSION } from "../schema/schema.ts";
import { SYNC_ANSWER_PARAMS, takeSyncAnswersV2 } from "./syncAnswer.ts";

export type ConnectionState =
  | { kind: "connecting" }
  | { kind: "synced" }
  | { kind: "offline"; unsynced: number }
  | { kind: "refused"; reason: string };

/**
 * The websocket provider of one document, and a plain account of its state for the indicator:
 * connecting, synced, offline (with the number of local edits the server has not seen), or refused.
 */
export function connect(
  ydoc: Y.Doc,
  docName: string,
  onState: (state: ConnectionState) => void,
  onClosed?: (code: number, reason: string) => void,
): WebsocketProvider {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const token = new URLSearchParams(location.search).get("token");
  const params: Record<string, string> = { schema: String(SCHEMA_VERSION), ...SYNC_ANSWER_PARAMS };
  if (token) params.token = token;
  const provider = new WebsocketProvider(`${scheme}://${location.host}/sync`, docName, ydoc, {
    params,
    // Tabs of one document meet through the server alone: over a BroadcastChannel every open tab
    // would encode its whole document for each tab that opens (0.25 s each on a large edition).
    disableBc: true,
  });
  takeSyncAnswersV2(provider);
  let unsynced = 0;
  let refused: string | null = null;
  const report = () => {
    if (refused !== null) onState({ kind: "refused", reason: refused });
    else if (provider.synced && provider.wsconnected) onState({ kind: "synced" });
    else if (provider.wsconnected || provider.wsconnecting) {
      onState(unsynced > 0 ? { kind: "offline", unsynced } : { kind: "connecting" });
    } else onState({ kind: "offline", unsynced });
  };
  const countUnsynced = (_update: Uint8Array, origin: unknown) => {
    // Edits made while not synced wait in the document and are sent when the connection syncs again.
    if (origin !== provider && !(provider.synced && provider.wsconnected)) {
      unsynced++;
      report();
    }
  };
  ydoc.on("update", countUnsynced);
  const stop = listenOnlyToOthers(ydoc, provider, [provider._updateHandler, countUnsynced]);
  const destroy = provider.destroy.bind(provider);
  provider.destroy = () => {
    stop();
    destroy();
  };
  provider.on("sync", (synced: boolean) => {
    if (synced) unsynced = 0;
    report();
  });
  provider.on("status", report);
  provider.on("closed", ({ code, reason }: { code: number; reason: string }) => {
    refused = `${reason || "the server closed the connection"} (${code})`;
    report();
    onClosed?.(code, reason);
  });
  report();
  return provider;
}

type UpdateListener = (update: Uint8Array, origin: unknown) => void;

/**
 * Yjs encodes every transaction's changes for the document's `update` listeners, even when each of them
 * drops what the provider itself applied: a large edition's first sync answer (8 MB) was encoded a
 * second time in the browser, for nothing (0.4 s of opening it). `listeners` all ignore the provider's
 * own transactions, so they are attached only while someone else's transaction is cleaned up — Yjs
 * looks for `update` listeners just after `afterTransactionCleanup`, for each transaction, nested ones
 * included, so a local edit made while a remote one is applied is still sent. `origin` is the
 * provider; the listeners are already attached. Returns what detaches them for good.
 */
export function listenOnlyToOthers(ydoc: Y.Doc, origin: unknown, listeners: UpdateListener[]): () => void {
  let listening = true;
  const gate = (transaction: Y.Transaction) => {
    const wanted = transaction.origin !== origin;
    if (wanted === listening) return;
    listening = wanted;
    for (const listener of listeners) {
      if (wanted) ydoc.on("update", listener);
      else ydoc.off("update", listener);
    }
  };
  ydoc.on("afterTransactionCleanup", gate);
  return () => {
    ydoc.off("afterTransactionCleanup", gate);
    for (const listener of listeners) ydoc.off("update", listener);
  };
}

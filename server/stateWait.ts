/**
 * Waiting until an open document holds what a client had: a request that acts on the server's copy
 * (collating a transcription) carries the client's state vector, so that it acts on what the person saw,
 * not on the copy before their last keystrokes arrived over the websocket.
 */
import * as Y from "yjs";
import type { OpenDocument } from "./document.ts";

/** Whether `bytes` read as a state vector (a request's, checked before anything waits on it). */
export function readableStateVector(bytes: Uint8Array): boolean {
  if (bytes.byteLength === 0) return false;
  try {
    Y.decodeStateVector(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Whether `doc` holds every change of the state vector `wanted`. */
export function holdsState(doc: Y.Doc, wanted: Uint8Array): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of Y.decodeStateVector(wanted))
    if ((have.get(client) ?? 0) < clock) return false;
  return true;
}

/**
 * Resolves true once `doc` holds `wanted` and all of it is stored, false after `timeoutMs` without;
 * throws on a state vector that cannot be read.
 */
export async function waitForState(
  doc: OpenDocument,
  wanted: Uint8Array,
  timeoutMs: number,
): Promise<boolean> {
  Y.decodeStateVector(wanted);
  const deadline = Date.now() + timeoutMs;
  while (!holdsState(doc.ydoc, wanted)) {
    if (Date.now() > deadline) return false;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        doc.ydoc.off("update", done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, deadline - Date.now()));
      doc.ydoc.on("update", done);
    });
  }
  await doc.settled();
  return true;
}

/**
 * The y-websocket wire protocol, as bytes and Y.Docs only: it knows nothing of sockets, rooms or users.
 * Messages are decoded here rather than through y-protocols' `readSyncMessage`, because that function
 * applies updates itself and swallows their errors; the server must refuse a bad update, not log it.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { SYNC_STEP2_V2_MESSAGE } from "../schema/wire.ts";

/** The first varuint of every message (y-websocket's numbering, and one of ours: schema/wire.ts). */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  syncStep2V2: SYNC_STEP2_V2_MESSAGE,
} as const;
/** The second varuint of a sync message (y-protocols' numbering). */
export const SyncType = { step1: 0, step2: 1, update: 2 } as const;

export type Message =
  | { type: "sync-step-1"; stateVector: Uint8Array }
  | { type: "sync-step-2"; update: Uint8Array }
  | { type: "update"; update: Uint8Array }
  | { type: "awareness"; update: Uint8Array }
  | { type: "auth"; denied: boolean; reason: string }
  | { type: "query-awareness" };

export type Decoded = { ok: true; message: Message } | { ok: false; reason: string };

/** Decodes one message. A malformed message is an expected failure, returned as a value. */
export function decodeMessage(bytes: Uint8Array): Decoded {
  try {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    let message: Message;
    switch (type) {
      case MessageType.sync: {
        const sub = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (sub === SyncType.step1) message = { type: "sync-step-1", stateVector: payload };
        else if (sub === SyncType.step2) message = { type: "sync-step-2", update: payload };
        else if (sub === SyncType.update) message = { type: "update", update: payload };
        else return { ok: false, reason: `unknown sync message type ${sub}` };
        break;
      }
      case MessageType.awareness:
        message = { type: "awareness", update: decoding.readVarUint8Array(decoder) };
        break;
      case MessageType.auth: {
        const denied = decoding.readVarUint(decoder) === 0;
        message = { type: "auth", denied, reason: denied ? decoding.readVarString(decoder) : "" };
        break;
      }
      case MessageType.queryAwareness:
        message = { type: "query-awareness" };
        break;
      default:
        return { ok: false, reason: `unknown message type ${type}` };
    }
    if (decoding.hasContent(decoder))
      return { ok: false, reason: `${message.type} message has trailing bytes` };
    return { ok: true, message };
  } catch (error) {
    return { ok: false, reason: `message cannot be decoded (${(error as Error).message})` };
  }
}

function encodeSync(sub: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: our state vector, asking the peer for what we lack. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return encodeSync(SyncType.step1, Y.encodeStateVector(doc));
}

/** Sync step 2: everything the peer lacks, given its state vector (or a precomputed update). */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return encodeSync(SyncType.step2, update);
}

/** Sync step 2 in Yjs's second update format, for a client that asked for it (schema/wire.ts). */
export function encodeSyncStep2V2(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.syncStep2V2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** One incremental document update. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  return encodeSync(SyncType.update, update);
}

/** An awareness update for the given clients (all known ones by default). */
export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients?: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(
    encoder,
    awarenessProtocol.encodeAwarenessUpdate(awareness, clients ?? [...awareness.getStates().keys()]),
  );
  return encoding.toUint8Array(encoder);
}

/** y-protocols' auth message "permission denied", which the y-websocket provider reports to its user. */
export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.auth);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}

/** The client ids that an awareness update speaks for, so a connection can clean them up when it closes. */
export function readAwarenessClients(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const clients: number[] = [];
  for (let i = 0; i < count; i++) {
    clients.push(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder); // clock
    decoding.readVarString(decoder); // state as JSON
  }
  return clients;
}

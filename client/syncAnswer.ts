/**
 * The sync answer in Yjs's second update format (schema/wire.ts), taken by a y-websocket provider: the
 * provider is told to ask for it (`SYNC_FORMAT_PARAM`) and given a handler for its message, which applies
 * it as y-websocket applies a step 2 (the provider as the transaction's origin) and marks the provider
 * synced. No DOM: the Node clients of the tests and benchmarks take it too.
 */
import * as decoding from "lib0/decoding";
import type { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { SYNC_FORMAT_PARAM, SYNC_FORMAT_V2, SYNC_STEP2_V2_MESSAGE } from "../schema/wire.ts";

/** The query parameters that ask the server for answers in the second format. */
export const SYNC_ANSWER_PARAMS: Readonly<Record<string, string>> = { [SYNC_FORMAT_PARAM]: SYNC_FORMAT_V2 };

/** Lets `provider` read sync answers in the second format; it must have been made with SYNC_ANSWER_PARAMS. */
export function takeSyncAnswersV2(provider: WebsocketProvider): void {
  provider.messageHandlers[SYNC_STEP2_V2_MESSAGE] = (_encoder, decoder, p, emitSynced) => {
    const update = decoding.readVarUint8Array(decoder);
    // As y-protocols' own step 2: what an observer throws is reported, and the answer still counts as
    // applied (Yjs applied it before calling the observers), so the page does not wait for it forever.
    try {
      Y.applyUpdateV2(p.doc, update, p);
    } catch (error) {
      console.error("Caught error while handling a Yjs update", error);
    }
    if (emitSynced && !p.synced) p.synced = true;
  };
}

/**
 * What Variorum's client and server add to the y-websocket protocol, which both otherwise speak as it is
 * (a stock y-websocket client works too). A client that asks with `?sync=v2` is sent its sync answer
 * (y-protocols' step 2) in Yjs's second update format, as a message of its own: a quarter smaller than
 * the first, and read faster in a browser, which decodes its strings at once rather than one by one (a
 * large edition's answer: 8.1 MB → 6.1 MB). Updates, and everything a client sends, stay in the first
 * format.
 */

/** The query parameter of the websocket's address, and its value, that ask for the second format. */
export const SYNC_FORMAT_PARAM = "sync";
export const SYNC_FORMAT_V2 = "v2";

/** The first varuint of the message holding a sync answer in the second format (after y-websocket's 0–3). */
export const SYNC_STEP2_V2_MESSAGE = 4;

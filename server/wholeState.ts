/**
 * An open document's whole state as fresh peers are sent it: one encoding, in each update format asked
 * for, kept across changes, and the updates applied since, merged into one. Yjs applies updates in any
 * order and any number of times, so the two together are the document as it is now. Encoding a large
 * edition (8 MB) again after every keystroke held the server 0.1–0.15 s for the next fresh peer; now it
 * is encoded again only once the updates since weigh more than a share of it.
 */
import * as Y from "yjs";

export type UpdateFormat = "v1" | "v2";

/**
 * What a peer with nothing is sent: the state as encoded and (if any) what changed since, in v1, sent
 * first so that the peer is synced with all of it (Yjs holds it pending until the state arrives).
 */
export interface WholeStateAnswer {
  state: Uint8Array;
  since: Uint8Array | null;
}

/** Encoded again once the updates since are more than this share of the encoding's bytes… */
const MAX_SINCE_SHARE = 1 / 16;
/** …or more than this many (each merged update is one transaction for a fresh peer's editor). */
const MAX_SINCE_UPDATES = 2000;

interface Encoded {
  state: Uint8Array;
  since: Uint8Array[];
  sinceBytes: number;
}

export class WholeState {
  private readonly encoded = new Map<UpdateFormat, Encoded>();

  constructor(private readonly ydoc: Y.Doc) {}

  /** Every update applied to the document after it was loaded, in Yjs's first format, as it comes. */
  changed(update: Uint8Array): void {
    for (const [format, e] of this.encoded) {
      e.since.push(update);
      e.sinceBytes += update.byteLength;
      if (e.sinceBytes > e.state.byteLength * MAX_SINCE_SHARE || e.since.length > MAX_SINCE_UPDATES)
        this.encoded.delete(format);
    }
  }

  /** The whole state in `format`, encoded now only if no encoding is kept. */
  answer(format: UpdateFormat): WholeStateAnswer {
    let e = this.encoded.get(format);
    if (!e) {
      const state = format === "v2" ? Y.encodeStateAsUpdateV2(this.ydoc) : Y.encodeStateAsUpdate(this.ydoc);
      e = { state, since: [], sinceBytes: 0 };
      this.encoded.set(format, e);
    }
    // Merged once for every fresh peer until the next change.
    if (e.since.length > 1) e.since = [Y.mergeUpdates(e.since)];
    return { state: e.state, since: e.since[0] ?? null };
  }
}

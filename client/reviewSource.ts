/**
 * What the review page reads from the live document, kept between its renders: the text as a ProseMirror
 * document and its lemmas' places (read again only once the text changed), and each entry as plain values
 * (read again only once its record or one of its decisions changed). A reviewer's key press in a large
 * edition (10,000 entries, 1 M characters) had copied and re-read all of it, two seconds each time.
 */
import type { Node } from "prosemirror-model";
import type * as Y from "yjs";
import { type ApparatusEntry, type Placement, placements, readEntry } from "../schema/apparatus.ts";
import { ROOTS } from "../schema/layout.ts";
import { readBody } from "../schema/readBody.ts";

export class ReviewSource {
  private body: Node | null = null;
  private placed: Placement[] | null = null;
  private readonly entries = new Map<string, ApparatusEntry | null>();
  /**
   * Bumped when the text or the entries' records changed (not their decisions): what is built from them
   * can be kept until it moves.
   */
  textVersion = 0;
  /** Bumped on any change but a reading's status: what shows only types and places (the density strip). */
  typeVersion = 0;

  constructor(private readonly ydoc: Y.Doc) {
    ydoc.getXmlFragment(ROOTS.body).observeDeep(() => {
      this.body = null;
      this.placed = null;
      this.textVersion++;
      this.typeVersion++;
    });
    // An entry's record, or its decisions ("<id>/<siglum>" values and the "<id>" map of its type).
    const forget = (root: Y.Map<unknown>, text: boolean) =>
      root.observeDeep((events) => {
        for (const event of events) {
          if (event.target === root)
            for (const key of event.keys.keys()) this.entries.delete(key.split("/")[0] as string);
          else if (typeof event.path[0] === "string") this.entries.delete(event.path[0]);
          else this.entries.clear();
        }
        if (text) this.textVersion++;
        const statusesOnly = events.every(
          (e) => e.target === root && [...e.keys.keys()].every((key) => key.includes("/")),
        );
        if (text || !statusesOnly) this.typeVersion++;
      });
    forget(ydoc.getMap(ROOTS.apparatus), true);
    forget(ydoc.getMap(ROOTS.decisions), false);
  }

  /** The base text, as the editor would hold it. */
  doc(): Node {
    // readBody, not y-prosemirror's conversion: that deletes what the schema cannot read, and this page
    // only reads.
    this.body ??= readBody(this.ydoc);
    return this.body;
  }

  /** Every lemma's and anchor's place in `doc()`, in the text's order. */
  placements(): Placement[] {
    this.placed ??= placements(this.doc());
    return this.placed;
  }

  /** An entry as plain values; null when it has no record. */
  entry(id: string): ApparatusEntry | null {
    let entry = this.entries.get(id);
    if (entry === undefined) {
      entry = readEntry(this.ydoc, id);
      this.entries.set(id, entry);
    }
    return entry;
  }
}

import { describe, expect, it } from "vitest";
import {
  absolutePositionToRelativePosition,
  initProseMirrorDoc,
  relativePositionToAbsolutePosition,
} from "y-prosemirror";
import * as Y from "yjs";
import { PositionReader } from "../../client/relativePositions.ts";
import { ROOTS } from "../../schema/layout.ts";
import { schema } from "../../schema/schema.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { rng } from "../helpers/synthetic.ts";

describe("reading many relative positions at once", () => {
  it("answers as y-prosemirror does, before and after blocks, words and footnotes are deleted", () => {
    const seed = Number(process.env.SEED ?? Date.now() % 100_000);
    const random = rng(seed);
    const ydoc = manifestoDoc();
    const fragment = ydoc.getXmlFragment(ROOTS.body);
    let { doc, mapping } = initProseMirrorDoc(fragment, schema);
    const rels: Y.RelativePosition[] = [];
    for (let i = 0; i < 400; i++) {
      const at = Math.floor(random() * (doc.content.size + 1));
      const rel = absolutePositionToRelativePosition(at, fragment, mapping);
      if (random() < 0.3) rel.assoc = -1;
      rels.push(rel);
    }
    const compare = (when: string) => {
      const reader = new PositionReader(ydoc, fragment, mapping);
      const ours = rels.map((r) => reader.position(r));
      const theirs = rels.map((r) => relativePositionToAbsolutePosition(ydoc, fragment, r, mapping));
      expect(ours, `${when} (seed ${seed})`).toEqual(theirs);
      return ours;
    };
    const before = compare("as built");
    expect(before.every((p) => p !== null)).toBe(true);

    // Whole blocks, runs of words and the footnotes inside paragraphs go: positions move or vanish.
    ydoc.transact(() => {
      for (let i = 0; i < 6; i++) fragment.delete(Math.floor(random() * (fragment.length - 1)), 1);
      for (const block of fragment.toArray()) {
        if (!(block instanceof Y.XmlElement) || random() < 0.5) continue;
        for (const child of block.toArray()) {
          if (child instanceof Y.XmlText && child.length > 10 && random() < 0.5) {
            const from = Math.floor(random() * (child.length - 5));
            child.delete(from, Math.min(child.length - from, 1 + Math.floor(random() * 40)));
          }
        }
        // A footnote (an element inside the paragraph) goes with its text.
        const note = block.toArray().findIndex((c) => c instanceof Y.XmlElement);
        if (note >= 0) block.delete(note, 1);
      }
    });
    ({ doc, mapping } = initProseMirrorDoc(fragment, schema));
    const after = compare("after the deletions");
    expect(after.some((p) => p === null) || after.some((p, i) => p !== before[i])).toBe(true);
    expect(after.every((p) => p === null || (p >= 0 && p <= doc.content.size))).toBe(true);
  });

  it("answers as y-prosemirror does when deleted blocks are kept (as undo keeps them), the first ones too", () => {
    const seed = Number(process.env.SEED ?? Date.now() % 100_000);
    const random = rng(seed);
    const ydoc = new Y.Doc({ gc: false });
    Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(manifestoDoc()));
    const fragment = ydoc.getXmlFragment(ROOTS.body);
    let { doc, mapping } = initProseMirrorDoc(fragment, schema);
    const rels: Y.RelativePosition[] = [];
    // Positions in the first blocks (those deleted below) and everywhere else.
    const early = doc.child(0).nodeSize + doc.child(1).nodeSize + doc.child(2).nodeSize;
    for (let i = 0; i < 300; i++) {
      const at = Math.floor(random() * (i % 2 ? early : doc.content.size + 1));
      rels.push(absolutePositionToRelativePosition(at, fragment, mapping));
    }
    ydoc.transact(() => {
      fragment.delete(0, 2);
      fragment.delete(3, 1);
    });
    ({ doc, mapping } = initProseMirrorDoc(fragment, schema));
    const reader = new PositionReader(ydoc, fragment, mapping);
    expect(
      rels.map((r) => reader.position(r)),
      `seed ${seed}`,
    ).toEqual(rels.map((r) => relativePositionToAbsolutePosition(ydoc, fragment, r, mapping)));
  });
});

import { describe, expect, it } from "vitest";
import {
  absolutePositionToRelativePosition,
  initProseMirrorDoc,
  prosemirrorToYXmlFragment,
} from "y-prosemirror";
import * as Y from "yjs";
import { encodeRelative } from "../../schema/comments.ts";
import { ROOTS } from "../../schema/layout.ts";
import { zoneTexts } from "../../schema/publish/scans.ts";
import { schema } from "../../schema/schema.ts";
import { addZone, listZones, removeZone } from "../../schema/zones.ts";

/** A transcription of two lines (test text), the second an OCR draft not yet accepted. */
function transcription(): { doc: Y.Doc; at: (pos: number) => string } {
  const doc = new Y.Doc();
  const ocr = schema.marks.ocr.create();
  prosemirrorToYXmlFragment(
    schema.nodes.doc.create(null, [
      schema.nodes.paragraph.create({ id: "p1" }, schema.text("typed by a person")),
      schema.nodes.paragraph.create({ id: "p2" }, schema.text("read by a machine", [ocr])),
    ]),
    doc.getXmlFragment(ROOTS.body),
  );
  const fragment = doc.getXmlFragment(ROOTS.body);
  const { mapping } = initProseMirrorDoc(fragment, schema);
  return {
    doc,
    at: (pos) => encodeRelative(absolutePositionToRelativePosition(pos, fragment, mapping)),
  };
}

describe("zones on page images", () => {
  it("keeps zones drawn at once by two transcribers, clamps them to the image, and skips damaged values", () => {
    const { at } = transcription();
    const a = new Y.Doc();
    const b = new Y.Doc();
    const base = { start: at(1), end: at(6), by: null, at: 1 };
    addZone(a, { page: 1, x: 0.1, y: 0.2, w: 0.5, h: 0.05, ...base }, "zone-a");
    addZone(b, { page: 1, x: 0.8, y: 0.9, w: 0.5, h: 0.5, ...base }, "zone-b");
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    a.getMap(ROOTS.zones).set("zone-bad", { page: 0, x: 2 });
    // Positions that do not decode (any client may write them) make no zone, and break nothing.
    a.getMap(ROOTS.zones).set("zone-garbled", { ...base, page: 1, x: 0, y: 0, w: 0.1, h: 0.1, start: "!" });
    const zones = listZones(a);
    expect(zones.map((z) => z.id)).toEqual(["zone-a", "zone-b"]);
    const zb = zones[1] as (typeof zones)[number];
    expect(zb.w).toBeCloseTo(0.2);
    expect(zb.h).toBeCloseTo(0.1);
    expect(listZones(b).map((z) => z.id)).toEqual(["zone-a", "zone-b"]);
    removeZone(b, "zone-a");
    expect(listZones(b).map((z) => z.id)).toEqual(["zone-b"]);
  });

  it("publishes a zone's words for the reading edition, but not a line an OCR draft made that no one accepted", () => {
    const { doc, at } = transcription();
    const rect = { page: 1, x: 0, y: 0, w: 0.5, h: 0.1, by: null, at: 1 };
    addZone(doc, { ...rect, start: at(1), end: at(18) }, "zone-person");
    addZone(doc, { ...rect, start: at(20), end: at(37) }, "zone-machine");
    doc.getMap(ROOTS.zones).set("zone-garbled", { ...rect, start: "!", end: "!" });
    expect(zoneTexts(doc).map((z) => [z.id, z.text])).toEqual([["zone-person", "typed by a person"]]);
    // Read for the reading edition without writing: an unknown block and two neighbouring texts this
    // document's own client made (which y-prosemirror's mapping would delete and merge) are left alone.
    const body = doc.getXmlFragment(ROOTS.body);
    body.insert(0, [new Y.XmlElement("future_node")]);
    const p1 = body.get(1) as Y.XmlElement;
    const next = new Y.XmlText();
    p1.insert(1, [next]);
    next.insert(0, " again");
    const before = Y.encodeStateAsUpdate(doc);
    let writes = 0;
    doc.on("afterTransaction", () => writes++);
    expect(zoneTexts(doc).map((z) => z.id)).toEqual(["zone-person"]);
    expect(writes).toBe(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });
});

import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ReviewSource } from "../../client/reviewSource.ts";
import { decide, readingText, setReading } from "../../schema/apparatus.ts";
import { ROOTS } from "../../schema/layout.ts";
import { manifestoDoc } from "../helpers/edition.ts";

describe("what the review page keeps between renders", () => {
  it("reads an entry again once its reading, its reading's decision or its type changes, and the text once it changes", () => {
    const ydoc = manifestoDoc();
    const source = new ReviewSource(ydoc);
    const [first, second] = source.placements();
    const id = first?.id as string;
    const other = second?.id as string;
    const witness = Object.keys(source.entry(id)?.readings ?? {})[0] as string;
    expect(witness).toBeTruthy();
    const untouched = source.entry(other);
    expect(source.entry(other)).toBe(untouched);

    const text = readingText(ydoc, id, witness) as Y.Text;
    text.insert(text.length, " (sic)");
    expect(source.entry(id)?.readings[witness]?.text).toMatch(/\(sic\)$/);
    setReading(ydoc, id, witness, { kind: "om", text: "" });
    expect(source.entry(id)?.readings[witness]?.kind).toBe("om");
    const typeVersion = source.typeVersion;
    decide(ydoc, id, { status: "rejected", sigla: [witness] }, "rosa");
    expect(source.entry(id)?.decisions[witness]?.status).toBe("rejected");
    // A status changes nothing the density strip shows; a type does.
    expect(source.typeVersion).toBe(typeVersion);
    decide(ydoc, id, { type: "orthographic" }, "rosa");
    expect(source.entry(id)?.type).toBe("orthographic");
    expect(source.typeVersion).toBeGreaterThan(typeVersion);
    decide(ydoc, id, { type: "punctuation" }, "rosa");
    expect(source.entry(id)?.type).toBe("punctuation");
    // Another entry, untouched, was not read again.
    expect(source.entry(other)).toBe(untouched);

    const doc = source.doc();
    const version = source.textVersion;
    expect(source.doc()).toBe(doc);
    const block = ydoc.getXmlFragment(ROOTS.body).get(1) as Y.XmlElement;
    (block.get(0) as Y.XmlText).insert(0, "Indeed, ");
    expect(source.textVersion).toBeGreaterThan(version);
    expect(source.doc()).not.toBe(doc);
    expect(source.doc().textContent).toContain("Indeed, ");
    expect(source.placements().find((p) => p.id === id)?.from).toBe((first?.from ?? 0) + "Indeed, ".length);
  });

  it("never writes to the live document: what the schema cannot read is left there", () => {
    const ydoc = manifestoDoc();
    const body = ydoc.getXmlFragment(ROOTS.body);
    const unknown = new Y.XmlElement("future_node");
    body.insert(1, [unknown]);
    const before = body.length;
    let writes = 0;
    ydoc.on("afterTransaction", () => writes++);
    const source = new ReviewSource(ydoc);
    expect(source.doc().childCount).toBeGreaterThan(10);
    (body.get(2) as Y.XmlElement).insert(0, [new Y.XmlText("Later ")]);
    writes = 0;
    expect(source.doc().textContent).toContain("Later ");
    expect(writes).toBe(0);
    expect(body.length).toBe(before);
    expect(body.toArray()).toContain(unknown);
  });
});

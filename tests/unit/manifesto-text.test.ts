import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import { copyDoc, readMeta } from "../../schema/layout.ts";
import { schema } from "../../schema/schema.ts";
import { docToPlainBlocks } from "../../schema/textdoc.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { ICC_SOURCE } from "../helpers/paths.ts";

const HEADINGS = new Set([
  "By way of a preface",
  "To the communist comrades of every country!",
  "Sauls and Pauls in the Russian revolution",
  "The principal tasks for today",
]);

/** The seed's lines of the Manifesto itself: from "By way of a preface" to the last paragraph of Part 1. */
function seedManifesto() {
  const lines = readFileSync(ICC_SOURCE, "utf8").split("\n");
  const start = lines.indexOf("By way of a preface");
  const end = lines.indexOf("We now turn to the issue of the united front.");
  const slice = lines.slice(start, end + 1).filter((l) => l !== "" && l !== "* * *");
  return {
    text: slice.filter((l) => !l.startsWith("Editor's note: ")),
    editorsNote: slice.find((l) => l.startsWith("Editor's note: ")),
    lines,
  };
}

describe("the seeded Manifesto", () => {
  const ydoc = manifestoDoc();
  const doc = yXmlFragmentToProseMirrorRootNode(copyDoc(ydoc).getXmlFragment("body"), schema);

  it("has the source's headings and paragraphs, word for word, in order", () => {
    const seed = seedManifesto();
    const blocks = docToPlainBlocks(doc, { notes: "label", blockNotes: false });
    expect(blocks.length).toBe(seed.text.length);
    blocks.forEach((block, i) => {
      const source = seed.text[i] as string;
      expect(block.text, `block ${i + 1}`).toBe(source);
      expect(block.type, `block ${i + 1}: "${source.slice(0, 40)}"`).toBe(
        HEADINGS.has(source) ? "heading" : "paragraph",
      );
    });
  });

  it("starts with the preface and ends with the united front", () => {
    const blocks = docToPlainBlocks(doc);
    expect(blocks[0]?.text).toBe("By way of a preface");
    expect(blocks.at(-1)?.text).toBe("We now turn to the issue of the united front.");
    expect(blocks.some((x) => x.text === "Long live the world revolution!")).toBe(true);
  });

  it("keeps the ICC's remarks as notes of the ICC, not as Manifesto text", () => {
    const seed = seedManifesto();
    const remarks: { resp: string; text: string }[] = [];
    doc.descendants((node) => {
      if (node.type.name === "block_note") remarks.push({ resp: node.attrs.resp, text: node.textContent });
      return true;
    });
    expect(remarks.map((r) => r.resp)).toEqual(["ICC", "ICC"]);
    expect(remarks[0]?.text).toBe(seed.editorsNote);
    const listStart = seed.lines.findIndex((l) => l.startsWith("The rest of the Manifesto"));
    const items = seed.lines.slice(listStart + 2, listStart + 9).map((l) => l.replace(/^ {2}• /, ""));
    expect(remarks[1]?.text).toBe(seed.lines[listStart] + items.join(""));
  });

  it("carries the ICC's note [7] as an original footnote at its marker, with the source's words", () => {
    const notes: { kind: string; resp: string; label: string; text: string }[] = [];
    doc.descendants((node) => {
      if (node.type.name === "note")
        notes.push({
          ...(node.attrs as { kind: string; resp: string; label: string }),
          text: node.textContent,
        });
      return true;
    });
    const seedNote = seedManifesto()
      .lines.find((l) => l.startsWith("[7]. "))
      ?.slice(5);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: "original", resp: "ICC", label: "7", text: seedNote });
  });

  it("leaves the ICC's introduction and its notes [1]-[6] out of the base text", () => {
    const all = docToPlainBlocks(doc, { notes: "label", blockNotes: true })
      .map((x) => x.text)
      .join("\n");
    expect(all).not.toContain("Our introduction");
    expect(all).not.toContain("Read our article");
    expect(all).not.toMatch(/\[[1-6]\]/);
  });

  it("travels with its provenance", () => {
    const meta = readMeta(ydoc);
    expect(meta.provenance).toMatchObject({
      title: expect.stringContaining("Manifesto of the Workers"),
      publication: expect.stringContaining("International Review"),
      date: "2010",
      address: expect.stringMatching(/^https:\/\/en\.internationalism\.org\//),
    });
  });
});

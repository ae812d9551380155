import { describe, expect, it } from "vitest";
import { formatWitnessText, parseWitnessText } from "../../schema/textformat.ts";

const header = "Title: T\nPublication: P\nDate: 1923\nAddress: https://example.org/x\n---\n";

describe("the witness text format", () => {
  it("reads headings, paragraphs, lists, notes and footnote definitions", () => {
    const r = parseWitnessText(
      `${header}## Head\n\nOne [1] two.\n\n::: note kind=original resp=ICC\nRemark\n\n- a\n- b\n:::\n\n[1]: The note.\n`,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.blocks.map((x) => x.type)).toEqual(["heading", "paragraph", "note"]);
    expect(r.value.notes.get("1")).toBe("The note.");
    const note = r.value.blocks[2];
    expect(note?.type === "note" && note.blocks.map((x) => x.type)).toEqual(["paragraph", "list"]);
  });

  it("gives the same text back after formatting what it parsed", () => {
    const source = `${header}## Head\n\nOne [1] two.\n\n[1]: The note.\n`;
    const r = parseWitnessText(source);
    if (!r.ok) throw new Error("parse failed");
    const again = parseWitnessText(formatWitnessText(r.value));
    expect(again).toEqual(r);
  });

  it("refuses a file without the provenance it needs, naming the missing field", () => {
    const r = parseWitnessText("Title: T\n---\ntext\n");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.message)).toEqual([
      'the provenance header lacks "Publication"',
      'the provenance header lacks "Date"',
      'the provenance header lacks "Address"',
    ]);
  });

  it("refuses an empty file and a note that is never closed, with the line", () => {
    expect(parseWitnessText("")).toEqual({ ok: false, errors: [{ line: 1, message: "the file is empty" }] });
    const r = parseWitnessText(`${header}::: note\ntext\n`);
    expect(r.ok ? [] : r.errors).toEqual([
      { line: 6, message: 'a note is opened here and never closed with ":::"' },
    ]);
  });
});

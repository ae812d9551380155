import { describe, expect, it } from "vitest";
import { basePairs, passagePairs, passagesOf } from "../../schema/collate/passages.ts";
import { collate } from "../../schema/collate.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { manifestoDoc } from "../helpers/edition.ts";

const icc = (() => {
  const t = witnessText(manifestoDoc(), "ICC");
  if (!t.ok) throw new Error(t.reason);
  return t.text;
})();

describe("which paragraphs of the base a witness's paragraph collates with", () => {
  it("splits a text at its blank lines, skipping empty paragraphs, keeping offsets into the text", () => {
    const text = "One.\n\nTwo, still\ntwo.\n\n\n\nThree.";
    const ps = passagesOf(text);
    expect(ps.map((p) => text.slice(p.start, p.end))).toEqual(["One.", "Two, still\ntwo.", "Three."]);
  });

  it("pairs a copy's paragraphs with the base's by the collation, whatever it leaves out or changes", () => {
    const base = icc.split("\n\n").slice(0, 12).join("\n\n");
    const bp = passagesOf(base);
    // Paragraphs 3, 7 and 8 of the base, the first with a word changed, in another order: 8, 3, 7.
    const pick = [8, 3, 7].map((i) =>
      base.slice((bp[i] as { start: number }).start, (bp[i] as { end: number }).end),
    );
    pick[1] = (pick[1] as string).replace(/\b(\w{6,})\b/, "changed");
    const witness = pick.join("\n\n");
    const wp = passagesOf(witness);
    const pairs = passagePairs(bp, wp, collate(base, witness), witness);
    expect(pairs).toEqual([[8], [3], [7]]);
    // As a partial witness, the paragraph out of order aligns with nothing (the collator leaves it
    // unaligned, for a person to place): it pairs with nothing, the others as before.
    expect(passagePairs(bp, wp, collate(base, witness, { partial: true }), witness)).toEqual([[], [3], [7]]);
    const back = basePairs(pairs, bp.length);
    expect(back[3]).toEqual([1]);
    expect(back[0]).toEqual([]);
  });

  it("pairs a translation's paragraph through the entry that gives it as a reading, where no word aligns", () => {
    const base = "The first paragraph.\n\nThe workers of Russia are weak.\n\nA third one.";
    const witness = "Рабочий класс России слаб.\n\nЧто-то ещё.";
    const bp = passagesOf(base);
    const wp = passagesOf(witness);
    const collation = collate(base, witness, { partial: true });
    expect(passagePairs(bp, wp, collation, witness)).toEqual([[], []]);
    const lemma = { start: base.indexOf("The workers"), end: base.indexOf("weak.") + 5 };
    const pairs = passagePairs(bp, wp, collation, witness, [
      { base: lemma, text: "Рабочий класс\nРоссии слаб." },
    ]);
    expect(pairs).toEqual([[1], []]);
  });

  it("does not let a short reading found in many paragraphs pull them all onto its lemma's paragraph", () => {
    const para = "A worker reads a newspaper in a factory.";
    const base = [para, para, para].join("\n\n");
    const bp = passagesOf(base);
    const pairs = passagePairs(bp, passagesOf(base), collate(base, base), base, [
      { base: { start: 0, end: 1 }, text: "a" },
    ]);
    expect(pairs).toEqual([[0], [1], [2]]);
  });

  it("pairs the Russian passages with the ICC paragraphs their entries stand on", () => {
    const doc = manifestoDoc();
    const ru = witnessText(doc, "RU");
    if (!ru.ok) throw new Error(ru.reason);
    const bp = passagesOf(icc);
    const wp = passagesOf(ru.text);
    // The entries' lemmas, found in the base text as the edition records them.
    const lemma = (words: string) => ({ start: icc.indexOf(words), end: icc.indexOf(words) + words.length });
    const first = "We have already observed that its faults";
    const pairs = passagePairs(bp, wp, collate(icc, ru.text, { partial: true }), ru.text, [
      { base: lemma(first), text: wp[0] ? ru.text.slice(wp[0].start, wp[0].end) : "" },
    ]);
    const at = bp.findIndex((p) => icc.slice(p.start, p.end).includes(first));
    expect(at).toBeGreaterThan(0);
    expect(pairs[0]).toEqual([at]);
  });
});

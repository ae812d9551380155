import { describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import * as Y from "yjs";
import { decodeRelative, plainText } from "../../schema/comments.ts";
import { ROOTS } from "../../schema/layout.ts";
import { insertDraft, LOW_CONFIDENCE_REASON, pageContent } from "../../schema/ocrDraft.ts";
import {
  intoParagraphs,
  meanConfidence,
  type OcrPage,
  pageText,
  pageWords,
  parseTesseractTsv,
} from "../../schema/ocrResult.ts";
import { schema } from "../../schema/schema.ts";
import { listZones } from "../../schema/zones.ts";
import { toOriginal } from "../../server/ocr/clean.ts";

const HEADER =
  "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext";
const row = (
  level: number,
  block: number,
  par: number,
  line: number,
  word: number,
  box: number[],
  conf = -1,
  text = "",
) => [level, 1, block, par, line, word, ...box, conf, text].join("\t");

/** A TSV as Tesseract writes it for a page with two columns and a headline it listed after column 1. */
const TSV = [
  HEADER,
  row(1, 0, 0, 0, 0, [0, 0, 1000, 800]),
  row(2, 1, 0, 0, 0, [50, 100, 400, 60]),
  row(3, 1, 1, 0, 0, [50, 100, 400, 60]),
  row(4, 1, 1, 1, 0, [50, 100, 400, 25]),
  row(5, 1, 1, 1, 1, [50, 100, 90, 25], 96.5, "The"),
  row(5, 1, 1, 1, 2, [150, 100, 200, 25], 62, "Socialists"),
  row(4, 1, 1, 2, 0, [50, 135, 300, 25]),
  row(5, 1, 1, 2, 1, [50, 135, 120, 25], 91, "of"),
  row(5, 1, 1, 2, 2, [180, 135, 100, 25], 90, " "),
  row(2, 2, 0, 0, 0, [50, 20, 900, 40]),
  row(3, 2, 1, 0, 0, [50, 20, 900, 40]),
  row(4, 2, 1, 1, 0, [50, 20, 900, 40]),
  row(5, 2, 1, 1, 1, [50, 20, 900, 40], 95, "MANIFESTO"),
  row(2, 3, 0, 0, 0, [550, 100, 400, 30]),
  row(3, 3, 1, 0, 0, [550, 100, 400, 30]),
  row(4, 3, 1, 1, 0, [550, 100, 400, 30]),
  row(5, 3, 1, 1, 1, [550, 100, 300, 30], 88, "irrevocably"),
].join("\n");

describe("reading Tesseract's TSV", () => {
  it("gives paragraphs of lines of words with boxes and confidences, headline first, then column by column", () => {
    const page = parseTesseractTsv(TSV);
    expect(page).toMatchObject({ width: 1000, height: 800 });
    expect(pageText(page)).toBe("MANIFESTO\n\nThe Socialists\nof\n\nirrevocably");
    expect(page.paragraphs[1]?.lines[0]?.words[1]).toEqual({
      text: "Socialists",
      conf: 62,
      box: { x: 150, y: 100, w: 200, h: 25 },
    });
    // Weighted by length: 9·95 + 3·96.5 + 10·62 + 2·91 + 11·88, over 35 characters.
    expect(meanConfidence(pageWords(page))).toBeCloseTo(
      (9 * 95 + 3 * 96.5 + 10 * 62 + 2 * 91 + 11 * 88) / 35,
    );
  });

  it("makes paragraphs of a column's lines where a line is indented or follows a short one", () => {
    const line = (x: number, right: number, y: number, text: string) => ({
      box: { x, y, w: right - x, h: 20 },
      words: [{ text, conf: 90, box: { x, y, w: right - x, h: 20 } }],
    });
    const lines = [
      line(80, 500, 0, "indented first line"),
      line(50, 500, 25, "full line"),
      line(50, 498, 50, "full line"),
      line(50, 200, 75, "short last line"),
      line(50, 500, 100, "after a short line"),
      line(49, 501, 125, "full line"),
      line(90, 500, 150, "indented"),
    ];
    expect(intoParagraphs(lines).map((p) => p.lines.length)).toEqual([4, 2, 1]);
  });

  it("keeps one paragraph across a column break when the column ends full and the next goes on unindented", () => {
    const column = (block: number, x: number, texts: string[], indentFirst: boolean) =>
      texts.flatMap((t, i) => {
        const lx = i === 0 && indentFirst ? x + 40 : x;
        return [
          ...(i === 0
            ? [row(2, block, 0, 0, 0, [x, 100, 400, 90]), row(3, block, 1, 0, 0, [x, 100, 400, 90])]
            : []),
          row(4, block, 1, i + 1, 0, [lx, 100 + 30 * i, x + 400 - lx, 25]),
          row(5, block, 1, i + 1, 1, [lx, 100 + 30 * i, x + 400 - lx, 25], 90, t),
        ];
      });
    const tsv = [
      HEADER,
      row(1, 0, 0, 0, 0, [0, 0, 1000, 800]),
      ...column(1, 50, ["one", "two", "three"], true),
      row(2, 2, 0, 0, 0, [300, 200, 8, 8]),
      row(3, 2, 1, 0, 0, [300, 200, 8, 8]),
      row(4, 2, 1, 1, 0, [300, 200, 8, 8]),
      row(5, 2, 1, 1, 1, [300, 200, 8, 8], 20, "<"),
      ...column(3, 550, ["four", "five", "six"], false),
    ].join("\n");
    const text = pageText(parseTesseractTsv(tsv));
    expect(text).toBe("one\ntwo\nthree\nfour\nfive\nsix\n\n<");
    // Indented at the head of the next column: a new paragraph.
    const indented = tsv.replace(/\t550\t100\t400\t25\t/g, "\t590\t100\t360\t25\t");
    expect(pageText(parseTesseractTsv(indented))).toBe("one\ntwo\nthree\n\n<\n\nfour\nfive\nsix");
  });

  it("refuses output that is not Tesseract's TSV, naming what it got", () => {
    expect(() => parseTesseractTsv("Tesseract Open Source OCR Engine\n")).toThrow(/not Tesseract's TSV/);
    expect(() => parseTesseractTsv(`${HEADER}\n5\t1\tx\t1`)).toThrow(/row 2/);
  });
});

describe("boxes of the cleaned image mapped back onto the page image", () => {
  it("undoes the enlargement and the turn, so a box turned and scaled comes back where it was", () => {
    const t = { angle: -0.5, scale: 2, width: 1600, height: 1000 };
    // The cleaned canvas: the page turned by -0.5° (grown to hold it), then doubled.
    const rad = (t.angle * Math.PI) / 180;
    const rw = 1600 * Math.cos(-rad) + 1000 * Math.sin(-rad);
    const rh = 1000 * Math.cos(-rad) + 1600 * Math.sin(-rad);
    const cleaned = { width: rw * 2, height: rh * 2 };
    // A point of the page, where the turn and the enlargement put it.
    const forward = (x: number, y: number) => {
      const dx = x - 800;
      const dy = y - 500;
      return [
        (dx * Math.cos(rad) - dy * Math.sin(rad) + rw / 2) * 2,
        (dx * Math.sin(rad) + dy * Math.cos(rad) + rh / 2) * 2,
      ] as const;
    };
    const [x, y] = forward(300, 200);
    const back = toOriginal({ x, y, w: 0, h: 0 }, t, cleaned);
    expect(back.x).toBeCloseTo(300, 6);
    expect(back.y).toBeCloseTo(200, 6);
  });
});

const PAGE: OcrPage = {
  width: 1000,
  height: 800,
  paragraphs: [
    {
      lines: [
        {
          box: { x: 50, y: 100, w: 400, h: 25 },
          words: [
            { text: "The", conf: 96, box: { x: 50, y: 100, w: 90, h: 25 } },
            { text: "Socialists", conf: 40, box: { x: 150, y: 98, w: 200, h: 28 } },
          ],
        },
        {
          box: { x: 50, y: 135, w: 300, h: 25 },
          words: [{ text: "of", conf: 91, box: { x: 50, y: 135, w: 40, h: 25 } }],
        },
      ],
    },
  ],
};

function transcription(fill?: (f: Y.XmlFragment) => void): Y.Doc {
  const ydoc = new Y.Doc();
  const f = ydoc.getXmlFragment(ROOTS.body);
  if (fill) fill(f);
  else f.insert(0, [new Y.XmlElement("paragraph")]);
  return ydoc;
}
const docOf = (ydoc: Y.Doc) => yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(ROOTS.body), schema);
const draft = (ydoc: Y.Doc, n: number) =>
  insertDraft(ydoc, { n, label: String(n), labelOf: String, page: PAGE, by: "Sam" });

describe("an OCR draft in a transcription", () => {
  it("fills an empty page with its lines, marked as OCR, the doubtful word unclear, a zone per line", () => {
    const ydoc = transcription();
    const result = draft(ydoc, 1);
    expect(result).toMatchObject({ ok: true, lines: 2, words: 3, lowConfidence: 1 });
    const doc = docOf(ydoc);
    expect(doc.childCount).toBe(1);
    const p = doc.firstChild as NonNullable<typeof doc.firstChild>;
    expect(p.firstChild?.type.name).toBe("page_break");
    expect(p.firstChild?.attrs.n).toBe("1");
    expect(p.textBetween(0, p.content.size, "", (n) => (n.type.name === "hard_break" ? "\n" : ""))).toBe(
      "The Socialists\nof",
    );
    p.descendants((n) => {
      if (n.isText) expect(n.marks.some((m) => m.type.name === "ocr")).toBe(true);
    });
    const doubtful: string[] = [];
    p.descendants((n) => {
      if (
        n.isText &&
        n.marks.some((m) => m.type.name === "unclear" && m.attrs.reason === LOW_CONFIDENCE_REASON)
      )
        doubtful.push(n.text as string);
    });
    expect(doubtful).toEqual(["Socialists"]);

    const zones = listZones(ydoc);
    expect(zones).toHaveLength(2);
    // Each zone holds its line's words, and its rectangle holds their boxes (fractions of the page).
    const texts = zones.map((z) => {
      const s = Y.createAbsolutePositionFromRelativePosition(decodeRelative(z.start), ydoc);
      const e = Y.createAbsolutePositionFromRelativePosition(decodeRelative(z.end), ydoc);
      if (!s || !e || s.type !== e.type) throw new Error(`zone ${z.id} does not lie in one line`);
      return plainText(s.type as Y.XmlText).slice(s.index, e.index);
    });
    expect(texts).toEqual(["The Socialists", "of"]);
    expect(zones[0]).toMatchObject({ page: 1, x: 0.05, y: 98 / 800, w: 0.4, h: 28 / 800 });
  });

  it("refuses a page that holds words a person typed, and changes nothing", () => {
    const ydoc = transcription();
    expect(draft(ydoc, 1).ok).toBe(true);
    const before = Y.encodeStateVector(ydoc);
    const again = draft(ydoc, 1);
    expect(again).toEqual({
      ok: false,
      error:
        "page 1 already holds “The Socialists of”: OCR fills only empty pages and never overwrites what a person typed",
    });
    expect(Y.encodeStateVector(ydoc)).toEqual(before);
  });

  it("writes nothing into a transcription holding a block it cannot read, and deletes nothing of it", () => {
    const ydoc = transcription((f) =>
      f.insert(0, [new Y.XmlElement("future_node"), new Y.XmlElement("paragraph")]),
    );
    const before = Y.encodeStateAsUpdate(ydoc);
    expect(draft(ydoc, 1)).toEqual({
      ok: false,
      error:
        "the transcription holds blocks this version of Variorum cannot read: OCR writes nothing into it",
    });
    expect(Y.encodeStateAsUpdate(ydoc)).toEqual(before);
  });

  it("puts page 3 after page 1, with an empty page 2 between, and page 2 later between them", () => {
    const ydoc = transcription();
    draft(ydoc, 1);
    expect(draft(ydoc, 3).ok).toBe(true);
    expect(pageContent(docOf(ydoc), 2)).toBeNull();
    expect(pageContent(docOf(ydoc), 3)).toBe("“The Socialists of”");
    expect(draft(ydoc, 2).ok).toBe(true);
    const breaks: string[] = [];
    docOf(ydoc).descendants((n) => {
      if (n.type.name === "page_break") breaks.push(n.attrs.n);
    });
    expect(breaks).toEqual(["1", "2", "3"]);
    expect(pageContent(docOf(ydoc), 2)).toBe("“The Socialists of”");
    expect(listZones(ydoc).map((z) => z.page)).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it("refuses to place page 2 when the words of page 1 have no page break before them", () => {
    const ydoc = transcription((f) => {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText("Typed by a person.")]);
      f.insert(0, [p]);
    });
    const result = draft(ydoc, 2);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/no page break; put the page break of page 1/);
    expect(docOf(ydoc).textContent).toBe("Typed by a person.");
  });
});

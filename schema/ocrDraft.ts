/**
 * An OCR draft entering a witness's transcription. The draft of page n goes where page n is (after the
 * n-th page break; the first page break begins page 1, as the scan viewer counts them), starts with that
 * page break, and holds the page's paragraphs and lines (a line break between lines); every word carries
 * the `ocr` mark (proposed until an editor accepts it), a word read with low confidence also `unclear`
 * (reason `ocr-low-confidence`), and each line gets a zone from its box. A page that holds anything a
 * person put there (words, a gap, a note) is refused: OCR fills empty pages only.
 */
import type { Mark, Node } from "prosemirror-model";
import { prosemirrorToYXmlFragment } from "y-prosemirror";
import * as Y from "yjs";
import { encodeRelative } from "./comments.ts";
import { ROOTS } from "./layout.ts";
import { type Box, LOW_CONFIDENCE, type OcrPage, unionBox } from "./ocrResult.ts";
import { readBody } from "./readBody.ts";
import { schema } from "./schema.ts";
import { addZone } from "./zones.ts";

/** The reason given on words OCR read with low confidence (TEI `unclear/@reason`). */
export const LOW_CONFIDENCE_REASON = "ocr-low-confidence";

export interface DraftRequest {
  /** The page (1 = the witness's first page image). */
  n: number;
  /** The page number as the source prints it, for the page break; `labelOf` for pages before it. */
  label: string;
  labelOf(n: number): string;
  page: OcrPage;
  /** Who asked for it, for the zones' `by`. */
  by: string | null;
}

export type DraftResult =
  | { ok: true; lines: number; words: number; lowConfidence: number; zones: string[] }
  | { ok: false; error: string };

/** What a page of the transcription holds: its first words, or null when it is empty. */
export function pageContent(doc: Node, n: number): string | null {
  let breaks = 0;
  let words = "";
  let other: string | null = null;
  doc.descendants((node) => {
    if (node.type === schema.nodes.page_break) breaks++;
    else if (Math.max(1, breaks) === n) {
      if (node.isText) words += node.text;
      else if (node.isBlock || node.type === schema.nodes.hard_break) words += " ";
      else if (node.type === schema.nodes.gap) other ??= "a gap";
      else if (node.type === schema.nodes.note) other ??= "a note";
    }
    return true;
  });
  const w = words.replace(/\s+/g, " ").trim();
  if (w) return `“${w.length > 40 ? `${w.slice(0, 40)}…` : w}”`;
  return other;
}

/** The blocks of the draft: a paragraph per OCR paragraph, the first beginning with the page break. */
function draftBlocks(req: DraftRequest): { blocks: Node[]; words: number; low: number } {
  const ocr = schema.marks.ocr.create();
  const unclear = schema.marks.unclear.create({ reason: LOW_CONFIDENCE_REASON });
  let words = 0;
  let low = 0;
  const blocks = req.page.paragraphs.map((p, i) => {
    const inline: Node[] = i === 0 ? [schema.nodes.page_break.create({ n: req.label })] : [];
    p.lines.forEach((line, j) => {
      if (j > 0) inline.push(schema.nodes.hard_break.create());
      line.words.forEach((w, k) => {
        if (k > 0) inline.push(schema.text(" ", [ocr]));
        const marks: Mark[] = w.conf < LOW_CONFIDENCE ? [ocr, unclear] : [ocr];
        if (w.conf < LOW_CONFIDENCE) low++;
        words++;
        inline.push(schema.text(w.text, marks));
      });
    });
    return schema.nodes.paragraph.create(null, inline);
  });
  if (blocks.length === 0)
    blocks.push(schema.nodes.paragraph.create(null, [schema.nodes.page_break.create({ n: req.label })]));
  return { blocks, words, low };
}

const pageBreakBlock = (label: string) =>
  schema.nodes.paragraph.create(null, [schema.nodes.page_break.create({ n: label })]);

/** Puts the draft into the transcription document; call inside a transaction with an `ocr` origin. */
export function insertDraft(ydoc: Y.Doc, req: DraftRequest): DraftResult {
  const fragment = ydoc.getXmlFragment(ROOTS.body);
  // Read without writing (y-prosemirror's conversion would delete what it cannot read, inside this
  // change); the draft goes in by the index of top-level blocks, so every one of them must be read.
  const doc = readBody(ydoc);
  if (doc.childCount !== fragment.length)
    return {
      ok: false,
      error:
        "the transcription holds blocks this version of Variorum cannot read: OCR writes nothing into it",
    };
  const held = pageContent(doc, req.n);
  if (held)
    return {
      ok: false,
      error: `page ${req.n} already holds ${held}: OCR fills only empty pages and never overwrites what a person typed`,
    };
  // Where each page break is: the index of the top-level block that holds it.
  const breakBlocks: number[] = [];
  doc.forEach((block, _offset, index) => {
    block.descendants((node) => {
      if (node.type === schema.nodes.page_break) breakBlocks.push(index);
      return true;
    });
  });
  const { blocks, words, low } = draftBlocks(req);
  let at: number;
  let removeAll = false;
  const insert: Node[] = [];
  const hasAnything = doc.textContent.trim() !== "" || breakBlocks.length > 0 || !!pageContent(doc, 1);
  if (!hasAnything) {
    // An empty transcription (its one empty paragraph): the pages up to this one are laid out from the top.
    removeAll = true;
    at = 0;
    for (let m = 1; m < req.n; m++) insert.push(pageBreakBlock(req.labelOf(m)));
  } else if (req.n <= breakBlocks.length) {
    const block = breakBlocks[req.n - 1] as number;
    if (breakBlocks[req.n] === block)
      return {
        ok: false,
        error: `the page breaks of pages ${req.n} and ${req.n + 1} are in one paragraph: put page ${req.n + 1}'s in a paragraph of its own first`,
      };
    at = block + 1;
    // The page break is there already: the draft's paragraphs follow it without another.
    blocks[0] = schema.nodes.paragraph.create(
      null,
      (blocks[0] as Node).content.cut((blocks[0] as Node).firstChild?.nodeSize ?? 0),
    );
  } else if (breakBlocks.length === 0) {
    return {
      ok: false,
      error: `page ${req.n} cannot be placed: the transcription has words but no page break; put the page break of page 1 before its words first`,
    };
  } else {
    at = doc.childCount;
    for (let m = breakBlocks.length + 1; m < req.n; m++) insert.push(pageBreakBlock(req.labelOf(m)));
  }
  if (blocks[0]?.childCount === 0) blocks.shift();
  insert.push(...blocks);

  // y-prosemirror's own encoding of the new blocks (marks as formatting), copied into the document.
  const scratch = new Y.Doc();
  const made = scratch.getXmlFragment("draft");
  prosemirrorToYXmlFragment(schema.nodes.doc.create(null, insert), made);
  if (removeAll) fragment.delete(0, fragment.length);
  fragment.insert(
    at,
    made.toArray().map((t) => (t as Y.XmlElement).clone()),
  );

  // A zone per line: each line is one Y.XmlText between line breaks.
  const first = at + insert.length - blocks.length;
  const zones: string[] = [];
  const { width, height } = req.page;
  const frac = (b: Box) => ({ x: b.x / width, y: b.y / height, w: b.w / width, h: b.h / height });
  req.page.paragraphs.forEach((p, i) => {
    const element = fragment.get(first + i) as Y.XmlElement | undefined;
    const texts = (element?.toArray() ?? []).filter((c): c is Y.XmlText => c instanceof Y.XmlText);
    p.lines.forEach((line, j) => {
      const text = texts[j];
      if (!text) return;
      const box = unionBox([line.box, ...line.words.map((w) => w.box)]);
      zones.push(
        addZone(ydoc, {
          page: req.n,
          ...frac(box),
          start: encodeRelative(Y.createRelativePositionFromTypeIndex(text, 0, 0)),
          end: encodeRelative(Y.createRelativePositionFromTypeIndex(text, text.length, -1)),
          by: req.by ? `OCR for ${req.by}` : "OCR",
          at: Date.now(),
        }),
      );
    });
  });
  return {
    ok: true,
    lines: req.page.paragraphs.reduce((n, p) => n + p.lines.length, 0),
    words,
    lowConfidence: low,
    zones,
  };
}

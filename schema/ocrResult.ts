/**
 * What OCR read on one page image: Tesseract's TSV output (one row per page, block, paragraph, line and
 * word, with its box and, for words, a confidence 0–100) read into paragraphs of lines of words, put in
 * reading order for a newspaper page (headlines across the columns first, then column by column).
 */

/** A rectangle in pixels of the image OCR read. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface OcrWord {
  text: string;
  /** Tesseract's confidence, 0–100. */
  conf: number;
  box: Box;
}

export interface OcrLine {
  box: Box;
  words: OcrWord[];
}

export interface OcrParagraph {
  lines: OcrLine[];
}

export interface OcrPage {
  width: number;
  height: number;
  paragraphs: OcrParagraph[];
}

/** Below this confidence a word is marked as read with doubt (`unclear`, reason `ocr-low-confidence`). */
export const LOW_CONFIDENCE = 80;

const COLUMNS = [
  "level",
  "page_num",
  "block_num",
  "par_num",
  "line_num",
  "word_num",
  "left",
  "top",
  "width",
  "height",
  "conf",
  "text",
] as const;

/** Reads Tesseract's TSV; throws naming the row when the output is not TSV of that shape. */
export function parseTesseractTsv(tsv: string): OcrPage {
  const rows = tsv.split(/\r?\n/).filter((r) => r.length > 0);
  const header = rows.shift()?.split("\t") ?? [];
  if (COLUMNS.some((c, i) => header[i] !== c))
    throw new Error(`OCR output is not Tesseract's TSV: its header is "${header.join(" ")}"`);
  let width = 0;
  let height = 0;
  type Block = { box: Box; paragraphs: Map<number, Map<number, OcrLine>> };
  const blocks = new Map<number, Block>();
  rows.forEach((row, i) => {
    const cells = row.split("\t");
    const [level, , block, par, line, , left, top, w, h, conf] = cells.slice(0, 11).map(Number) as number[];
    const text = cells.slice(11).join("\t");
    if (
      cells.length < 11 ||
      [level, block, par, line, left, top, w, h, conf].some((v) => !Number.isFinite(v))
    )
      throw new Error(`OCR output row ${i + 2} is not a TSV row of 12 columns: "${row.slice(0, 80)}"`);
    const box = { x: left as number, y: top as number, w: w as number, h: h as number };
    if (level === 1) {
      width = box.w;
      height = box.h;
      return;
    }
    let b = blocks.get(block as number);
    if (!b) {
      b = { box, paragraphs: new Map() };
      blocks.set(block as number, b);
    }
    if (level === 2) b.box = box;
    if ((level as number) < 4) return;
    let p = b.paragraphs.get(par as number);
    if (!p) {
      p = new Map();
      b.paragraphs.set(par as number, p);
    }
    let l = p.get(line as number);
    if (!l) {
      l = { box, words: [] };
      p.set(line as number, l);
    }
    if (level === 4) l.box = box;
    if (level === 5 && text.trim() !== "") l.words.push({ text: text.trim(), conf: conf as number, box });
  });
  const ordered = readingOrder([...blocks.values()], width);
  const paragraphs: OcrParagraph[] = [];
  // A column's lines in paragraphs, whichever blocks Tesseract cut the column into; a paragraph that
  // fills the foot of one column and goes on at the head of the next (not indented) stays one:
  // `runOn` is the paragraph at the foot of the last column, when it filled its last line.
  let runOn: OcrParagraph | null = null;
  for (const run of ordered) {
    const lines = run
      .flatMap((b) => [...b.paragraphs.values()].flatMap((p) => [...p.values()]))
      .filter((l) => l.words.length > 0);
    if (lines.length === 0) continue;
    // Specks read as a line (no letter, no digit) neither begin nor end a column's paragraphs.
    const wordy = lines.filter((l) => l.words.some((w) => /[\p{L}\p{N}]/u.test(w.text)));
    if (wordy.length === 0) {
      paragraphs.push(...intoParagraphs(lines));
      continue;
    }
    const column = lines.length >= 3; // a headline is a line or two
    const g = geometry(lines);
    const found = intoParagraphs(lines);
    const first = wordy[0] as OcrLine;
    const last = wordy[wordy.length - 1] as OcrLine;
    if (runOn && column && first.box.x - g.left <= 0.8 * g.em)
      runOn.lines.push(...(found.shift()?.lines ?? []));
    paragraphs.push(...found);
    runOn =
      column && last.box.x + last.box.w >= g.right - 2 * g.em
        ? (found.find((para) => para.lines.includes(last)) ?? null)
        : null;
  }
  return { width, height, paragraphs };
}

/** A column's font height and edges: medians, so that a speck read as a mark does not move them. */
function geometry(lines: OcrLine[]): { em: number; left: number; right: number } {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  return {
    em: median(lines.map((l) => l.box.h)),
    left: median(lines.map((l) => l.box.x)),
    right: median(lines.map((l) => l.box.x + l.box.w)),
  };
}

/**
 * The lines of a block in paragraphs, as a page of justified columns shows them: a paragraph begins at an
 * indented line or after a short one. (Tesseract's own paragraphs of a newspaper column often hold one
 * line each.)
 */
export function intoParagraphs(lines: OcrLine[]): OcrParagraph[] {
  if (lines.length === 0) return [];
  const { em, left, right } = geometry(lines);
  const out: OcrParagraph[] = [];
  lines.forEach((line, i) => {
    const prev = lines[i - 1];
    const indented = line.box.x - left > 0.8 * em;
    const afterShort = !!prev && prev.box.x + prev.box.w < right - 2 * em;
    const current = out[out.length - 1];
    if (!current || indented || afterShort) out.push({ lines: [line] });
    else current.lines.push(line);
  });
  return out;
}

/**
 * Blocks in the order a newspaper page is read, in runs: a block as wide as most of the text (a
 * headline) is a run of its own, read before the columns below it; between such blocks, each column is
 * a run, read top to bottom, the left one first. Tesseract's own order can put a headline after the
 * first column.
 */
export function readingOrder<T extends { box: Box }>(blocks: T[], pageWidth: number): T[][] {
  if (blocks.length < 2) return blocks.map((b) => [b]);
  const left = Math.min(...blocks.map((b) => b.box.x));
  const right = Math.max(...blocks.map((b) => b.box.x + b.box.w));
  const textWidth = Math.max(1, Math.min(pageWidth || right, right) - left);
  const spanning = (b: T) => b.box.w > 0.6 * textWidth;
  const byTop = [...blocks].sort((a, b) => a.box.y - b.box.y);
  const out: T[][] = [];
  let band: T[] = [];
  const flush = () => {
    // Columns: blocks grouped by horizontal overlap, left to right; each column from the top.
    const columns: { x0: number; x1: number; blocks: T[] }[] = [];
    for (const b of [...band].sort((a, c) => a.box.x - c.box.x)) {
      const col = columns.find((c) => b.box.x < c.x1 && b.box.x + b.box.w > c.x0);
      if (col) {
        col.blocks.push(b);
        col.x1 = Math.max(col.x1, b.box.x + b.box.w);
      } else columns.push({ x0: b.box.x, x1: b.box.x + b.box.w, blocks: [b] });
    }
    for (const c of columns) out.push(c.blocks.sort((a, b) => a.box.y - b.box.y));
    band = [];
  };
  for (const b of byTop) {
    if (spanning(b)) {
      flush();
      out.push([b]);
    } else band.push(b);
  }
  flush();
  return out;
}

/** The page's text: words joined by spaces, lines by newlines, paragraphs by a blank line. */
export function pageText(page: OcrPage): string {
  return page.paragraphs
    .map((p) => p.lines.map((l) => l.words.map((w) => w.text).join(" ")).join("\n"))
    .join("\n\n");
}

/** The words of a page in reading order. */
export function pageWords(page: OcrPage): OcrWord[] {
  return page.paragraphs.flatMap((p) => p.lines.flatMap((l) => l.words));
}

/** The mean confidence of a page's words (0 when it has none), weighted by their length. */
export function meanConfidence(words: readonly OcrWord[]): number {
  const chars = words.reduce((n, w) => n + w.text.length, 0);
  return chars === 0 ? 0 : words.reduce((n, w) => n + w.conf * w.text.length, 0) / chars;
}

/** The smallest box holding all of these. */
export function unionBox(boxes: readonly Box[]): Box {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.w));
  const y1 = Math.max(...boxes.map((b) => b.y + b.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

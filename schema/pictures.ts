/**
 * The pictures of where witnesses differ, as SVG markup: the variant density strip of a witness (its
 * entries along the text, how many in each stretch, one labelled lane per type) and the witness coverage
 * map (which paragraphs each witness covers). Pure string builders: the workbench and the review page
 * parse them into their pages, the reading edition writes them into its HTML (static export too).
 *
 * Readable in print: every meaning has a shape or a word as well as a colour — a type is a lane named at
 * its left, the current entry is outlined, a covered paragraph is a filled cell and a lacking one an empty
 * box, with a legend; every mark has a `<title>`. Colours are presentation attributes (no `style`), so a
 * strict content security policy lets them through and print keeps them.
 */
import { escapeXml as x } from "./escape.ts";
import { VARIANT_TYPES, type VariantType } from "./vocabulary.ts";

/** Colours of the marks by type (the lane says the type too). */
export const TYPE_COLOURS: Record<VariantType, string> = {
  substantive: "#b3261e",
  lexical: "#8e44ad",
  omission: "#c77700",
  addition: "#2e7d32",
  transposition: "#1565c0",
  orthographic: "#607d8b",
  punctuation: "#757575",
};

/** An entry on a density strip. */
export interface StripMark {
  /** The entry's id (`data-app` on its mark). */
  id: string;
  type: VariantType;
  /** Where it stands, from 0 (the start of the text) to 1 (its end). */
  at: number;
  /** Its lemma, for the mark's title ("" for a point: shown as ^). */
  lemma: string;
  /** Where a click on the mark leads (the reading edition); none: the page handles the click. */
  href?: string;
}

export interface StripOptions {
  /** The index (in `marks`) of the entry to outline as current; -1 for none. */
  current?: number;
  /** How many stretches the density row divides the text into. */
  bins?: number;
  /** Where a click on the n-th stretch leads (the reading edition). */
  binHref?: (bin: number) => string | undefined;
  /** The part of the text in view (shares of it, from and to), outlined dashed (the workbench). */
  here?: [number, number];
}

const WIDTH = 720;
const LABEL_W = 165;
const PLOT_W = WIDTH - LABEL_W - 10;
const DENSITY_H = 22;
const LANE_H = 13;
const AXIS_H = 14;
export const DEFAULT_BINS = 40;

/** The x of a place on a strip (a share of the text, 0–1): for a page that moves the "in view" outline. */
export function stripX(at: number): number {
  return LABEL_W + Math.min(1, Math.max(0, at)) * PLOT_W;
}

/** How many of `ats` (shares of the text, 0–1) fall in each of `bins` equal stretches; 1 counts in the last. */
export function densityBins(ats: number[], bins = DEFAULT_BINS): number[] {
  if (!Number.isInteger(bins) || bins < 1)
    throw new Error(`a density strip needs at least one bin, not ${bins}`);
  const counts = new Array<number>(bins).fill(0);
  for (const at of ats) {
    const share = Math.min(1, Math.max(0, Number.isFinite(at) ? at : 0));
    const k = Math.min(bins - 1, Math.floor(share * bins));
    counts[k] = (counts[k] as number) + 1;
  }
  return counts;
}

/** The types present among the marks, in the vocabulary's order: the strip's lanes. */
export function lanesOf(marks: StripMark[]): VariantType[] {
  const present = new Set(marks.map((m) => m.type));
  return VARIANT_TYPES.filter((t) => present.has(t));
}

const num = (n: number) => String(Math.round(n * 10) / 10);
const attrs = (a: Record<string, string | number | undefined>) =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === "number" ? num(v) : x(v as string)}"`)
    .join("");
const linked = (href: string | undefined, inner: string) =>
  href ? `<a href="${x(href)}">${inner}</a>` : inner;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A witness's density strip as an SVG element's markup. */
export function densityStripSvg(siglum: string, marks: StripMark[], options: StripOptions = {}): string {
  const current = options.current ?? -1;
  const bins = options.bins ?? DEFAULT_BINS;
  const counts = densityBins(
    marks.map((m) => m.at),
    bins,
  );
  const max = Math.max(1, ...counts);
  const lanes = lanesOf(marks);
  const height = DENSITY_H + lanes.length * LANE_H + AXIS_H;
  const xOf = stripX;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="density-strip" viewBox="0 0 ${WIDTH} ${height}" role="group" aria-label="${x(siglum)}'s variants along the text: ${plural(marks.length, "variant")}" data-witness="${x(siglum)}" data-bins="${bins}">`,
    `<text class="label" x="0" y="15" font-size="13" font-weight="bold" fill="#222">${x(siglum)}: ${plural(marks.length, "variant")}</text>`,
  );
  // The density row: a bar per stretch of the text, as tall as its share of the busiest stretch.
  const binW = PLOT_W / bins;
  counts.forEach((n, k) => {
    if (n === 0) return;
    const h = Math.max(2, (n / max) * (DENSITY_H - 4));
    const bar = `<rect${attrs({
      class: "bin",
      x: LABEL_W + k * binW,
      y: DENSITY_H - 2 - h,
      width: Math.max(1, binW - 1),
      height: h,
      fill: "#555555",
      "data-bin": String(k),
      "data-count": String(n),
    })}><title>${plural(n, "variant")} in stretch ${k + 1} of ${bins} of the text</title></rect>`;
    out.push(linked(options.binHref?.(k), bar));
  });
  // One lane per type, named at its left: the type is its place, not only its colour.
  lanes.forEach((t, i) => {
    const y = DENSITY_H + i * LANE_H;
    out.push(
      `<text class="lane-label" x="${LABEL_W - 6}" y="${y + LANE_H - 3}" font-size="11" text-anchor="end" fill="#222">${t}</text>`,
      `<rect${attrs({ x: LABEL_W, y: y + LANE_H / 2 - 0.5, width: PLOT_W, height: 1, fill: "#cccccc" })}/>`,
    );
  });
  marks.forEach((m, i) => {
    const lane = lanes.indexOf(m.type);
    const y = DENSITY_H + lane * LANE_H;
    const isCurrent = i === current;
    const tick = `<rect${attrs({
      class: `tick type-${m.type}${isCurrent ? " current" : ""}`,
      x: Math.min(LABEL_W + PLOT_W - 4, xOf(m.at)),
      y: isCurrent ? y : y + 1,
      width: 4,
      height: isCurrent ? LANE_H : LANE_H - 2,
      fill: TYPE_COLOURS[m.type],
      stroke: isCurrent ? "#000000" : undefined,
      "stroke-width": isCurrent ? 1.5 : undefined,
      "data-app": m.id,
      "data-type": m.type,
    })}><title>${i + 1}: ${x(m.lemma.trim() || "^")} (${m.type})${isCurrent ? ", current" : ""}</title></rect>`;
    out.push(linked(m.href, tick));
  });
  const axisY = DENSITY_H + lanes.length * LANE_H;
  if (options.here) {
    const [a, b] = options.here;
    out.push(
      `<rect${attrs({
        class: "here",
        x: xOf(a),
        y: 1,
        width: Math.max(2, xOf(b) - xOf(a)),
        height: axisY,
        fill: "none",
        stroke: "#000000",
        "stroke-dasharray": "3 2",
        "pointer-events": "none",
      })}><title>the part of the text in view</title></rect>`,
    );
  }
  out.push(
    `<rect${attrs({ x: LABEL_W, y: axisY + 1, width: PLOT_W, height: 1, fill: "#222222" })}/>`,
    `<text x="${LABEL_W}" y="${axisY + 12}" font-size="10" fill="#222">start of the text</text>`,
    `<text x="${LABEL_W + PLOT_W}" y="${axisY + 12}" font-size="10" text-anchor="end" fill="#222">end</text>`,
    "</svg>",
  );
  return out.join("");
}

/** A witness as the coverage map sees it. */
export interface CoverageWitness {
  siglum: string;
  coverage: "full" | "partial";
  /** The paragraphs the register says it covers whole. */
  coveredBlocks: string[];
  /** Paragraphs where an entry gives it a reading (a partial witness is there in part at least). */
  readingBlocks?: string[];
}

/** How a witness stands at a paragraph: covers it whole, has readings in it only, or lacks it. */
export type Cover = "covered" | "partly" | "lacks";

/** A row of the coverage map: for each paragraph of the base (in order), how the witness stands there. */
export interface CoverageRow {
  siglum: string;
  cells: Cover[];
  covered: number;
  partly: number;
}

/** How each witness covers each paragraph: a full witness all, a partial one those it lists or reads in. */
export function coverageRows(witnesses: CoverageWitness[], blocks: string[]): CoverageRow[] {
  return witnesses.map((w) => {
    const whole = new Set(w.coveredBlocks);
    const reads = new Set(w.readingBlocks ?? []);
    const cells = blocks.map(
      (id): Cover =>
        w.coverage === "full" || whole.has(id) ? "covered" : reads.has(id) ? "partly" : "lacks",
    );
    return {
      siglum: w.siglum,
      cells,
      covered: cells.filter((c) => c === "covered").length,
      partly: cells.filter((c) => c === "partly").length,
    };
  });
}

const COVER_WORDS: Record<Cover, string> = {
  covered: "covered",
  partly: "readings only, in part",
  lacks: "not covered",
};

/** The coverage map as an SVG element's markup; `hrefOf` gives a paragraph's link (the reading edition). */
export function coverageMapSvg(
  witnesses: CoverageWitness[],
  blocks: string[],
  hrefOf?: (blockId: string) => string | undefined,
): string {
  const rowH = 16;
  const rows = coverageRows(witnesses, blocks);
  const cellW = PLOT_W / Math.max(1, blocks.length);
  const axisY = rows.length * rowH + 2;
  const height = axisY + 30;
  const dark = "#1f3f73";
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="coverage-map" viewBox="0 0 ${WIDTH} ${height}" role="group" aria-label="Which of the ${plural(blocks.length, "paragraph")} of the base text each witness covers">`,
  ];
  rows.forEach((r, i) => {
    const y = i * rowH + 2;
    out.push(
      `<text class="label" x="0" y="${y + rowH - 4}" font-size="12" fill="#222"><tspan font-weight="bold">${x(r.siglum)}</tspan> ${r.covered}${r.partly ? ` + ${r.partly} in part` : ""} of ${blocks.length} ¶</text>`,
    );
    r.cells.forEach((cover, k) => {
      const id = blocks[k] as string;
      const w = Math.max(1, cellW - 1);
      const h = rowH - 3;
      // Covered: filled; in part: an outlined box half filled; lacking: an empty box. The difference is
      // of shape, so it survives a grey printer.
      const box = `<rect${attrs({
        class: `cover${cover === "lacks" ? "" : ` ${cover}`}`,
        x: LABEL_W + k * cellW,
        y,
        width: w,
        height: h,
        fill: cover === "covered" ? dark : "#ffffff",
        stroke: cover === "covered" ? undefined : "#8a8a8a",
        "stroke-width": cover === "covered" ? undefined : 0.8,
        "data-block": id,
        "data-witness": r.siglum,
        "data-cover": cover,
      })}><title>${x(r.siglum)}, paragraph ${k + 1}: ${COVER_WORDS[cover]}</title></rect>`;
      const half =
        cover === "partly"
          ? `<rect${attrs({ x: LABEL_W + k * cellW, y: y + h / 2, width: w, height: h / 2, fill: dark, "pointer-events": "none" })}/>`
          : "";
      out.push(linked(hrefOf?.(id), box + half));
    });
  });
  // Paragraph numbers under the cells: the first, every tenth, the last.
  const marks = new Set([0, blocks.length - 1]);
  for (let k = 9; k < blocks.length; k += 10) marks.add(k);
  for (const k of [...marks].filter((k) => k >= 0).sort((a, b) => a - b))
    out.push(
      `<text class="axis" x="${num(LABEL_W + k * cellW + cellW / 2)}" y="${axisY + 10}" font-size="10" text-anchor="middle" fill="#222">${k + 1}</text>`,
    );
  out.push(
    `<text x="0" y="${axisY + 10}" font-size="10" fill="#222">paragraph</text>`,
    `<rect x="${LABEL_W}" y="${axisY + 17}" width="10" height="10" fill="${dark}"/>`,
    `<text x="${LABEL_W + 14}" y="${axisY + 26}" font-size="10" fill="#222">covers the paragraph</text>`,
    `<rect x="${LABEL_W + 140}" y="${axisY + 17}" width="10" height="10" fill="#ffffff" stroke="#8a8a8a" stroke-width="0.8"/>`,
    `<rect x="${LABEL_W + 140}" y="${axisY + 22}" width="10" height="5" fill="${dark}"/>`,
    `<text x="${LABEL_W + 154}" y="${axisY + 26}" font-size="10" fill="#222">has readings in it only</text>`,
    `<rect x="${LABEL_W + 290}" y="${axisY + 17}" width="10" height="10" fill="#ffffff" stroke="#8a8a8a" stroke-width="0.8"/>`,
    `<text x="${LABEL_W + 304}" y="${axisY + 26}" font-size="10" fill="#222">lacks it</text>`,
    "</svg>",
  );
  return out.join("");
}

/**
 * All witnesses at once: an alignment table of the base and every witness, independent of the order in
 * which the witnesses are given. Each witness is collated with the base; the places where any of them
 * differs (a variant's stretch of the base, an addition's point, a transposition's two places) are
 * joined where they overlap into variation points, the same for every witness; between them the text is
 * invariant (or lacking, for a partial witness). So the table depends on the set of witnesses only, and
 * two witnesses' readings at one place stand in one column, as one `app`. Exported as CollateX's JSON
 * (an alignment table of tokens) and as TEI parallel segmentation. Pure.
 */
import type { Collation } from "./types.ts";

const PIECE = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

/** One witness's text at a column: null where the witness lacks it (a partial witness's lacuna). */
export type Cell = { text: string; start: number; end: number } | null;

export interface Column {
  /** The stretch of the base (a point, for words some witness adds). */
  base: { start: number; end: number; text: string };
  /** A variation point: some witness reads otherwise here. */
  variant: boolean;
  /** Each witness's text here, by siglum. */
  cells: Record<string, Cell>;
}

export interface AlignmentTable {
  base: string;
  /** The witnesses' sigla, sorted: the table does not depend on the order they were given in. */
  sigla: string[];
  columns: Column[];
}

/** Builds the table from each witness's collation with the base (`collations` by siglum). */
export function alignmentTable(
  baseSiglum: string,
  base: string,
  witnesses: Record<string, string>,
  collations: Record<string, Collation>,
): AlignmentTable {
  const sigla = Object.keys(witnesses).sort();
  // Every place any witness differs, as base intervals; a point [p, p] for an addition.
  const places: [number, number][] = [];
  for (const s of sigla)
    for (const v of (collations[s] as Collation).variants) {
      places.push([v.base.start, v.base.end]);
      if (v.moved) places.push([v.moved.base, v.moved.base]);
    }
  places.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const points: [number, number][] = [];
  for (const p of places) {
    const last = points.at(-1);
    // Overlapping stretches join; a point inside (or at the edge of) a stretch joins it.
    if (last && (p[0] < last[1] || (p[0] === last[1] && (p[0] === p[1] || last[0] === last[1]))))
      last[1] = Math.max(last[1], p[1]);
    else points.push([p[0], p[1]]);
  }
  const mapper = (c: Collation, text: string) => {
    const equal = c.segments.flatMap((s) => (s.kind === "equal" ? [s] : []));
    const lacking = (a: number, b: number) =>
      c.lacunae.some(
        (l) => (a < l.base.end && l.base.start < b) || (a === b && l.base.start < a && a < l.base.end),
      );
    // Within an equal stretch the two sides have the same tokens, maybe spaced otherwise: an offset at
    // a token's edge maps to the same edge of the other side's token.
    const inside = (offset: number): number | null => {
      // Equal stretches come in the order of both texts: the one holding an offset is found by halving.
      let lo = 0;
      let hi = equal.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((equal[mid] as (typeof equal)[number]).base.end <= offset) lo = mid + 1;
        else hi = mid;
      }
      for (const s of equal.slice(lo, lo + 2)) {
        if (offset <= s.base.start || offset >= s.base.end) continue;
        const bt = [...s.base.text.matchAll(PIECE)];
        const wt = [...s.witness.text.matchAll(PIECE)];
        const rel = offset - s.base.start;
        for (let k = 0; k < bt.length && k < wt.length; k++) {
          const b = bt[k] as RegExpExecArray;
          const w = wt[k] as RegExpExecArray;
          if (b.index >= rel) return s.witness.start + w.index;
          if (b.index + b[0].length >= rel)
            return s.witness.start + w.index + Math.min(w[0].length, rel - b.index);
        }
        return s.witness.start + Math.min(rel, s.witness.text.length);
      }
      return null;
    };
    // Every base offset where a stretch of the witness begins or ends, with the witness offset there.
    const edges = new Map<string, number[]>();
    const edge = (key: string, w: number) => edges.set(key, [...(edges.get(key) ?? []), w]);
    for (const s of equal) {
      edge(`any:${s.base.start}`, s.witness.start);
      edge(`any:${s.base.end}`, s.witness.end);
    }
    for (const v of c.variants) {
      if (v.moved) {
        edge(`any:${v.base.start}`, v.moved.witness);
        edge(`any:${v.base.end}`, v.moved.witness);
        edge(`start:${v.moved.base}`, v.witness.start);
        edge(`end:${v.moved.base}`, v.witness.end);
      } else {
        edge(`any:${v.base.start}`, v.witness.start);
        edge(`any:${v.base.end}`, v.witness.end);
      }
    }
    // At a boundary several stretches of the witness may meet (an addition, a move's other place): a
    // column's start takes the earliest, its end the latest, so that nothing of the witness is left out.
    const at = (offset: number, side: "start" | "end"): number | null => {
      const within = inside(offset);
      if (within !== null) return within;
      const found = [...(edges.get(`${side}:${offset}`) ?? []), ...(edges.get(`any:${offset}`) ?? [])];
      if (found.length === 0) return null;
      return side === "start" ? Math.min(...found) : Math.max(...found);
    };
    // A variation point takes all the witness has at its edges; the invariant text beside it, none of it.
    return (a: number, b: number, variant: boolean): Cell => {
      if (lacking(a, b)) return null;
      const x = at(a, variant ? "start" : "end");
      const y = at(b, variant ? "end" : "start");
      if (x === null || y === null || y < x) return null;
      let s = x;
      let e = y;
      while (s < e && /\s/.test(text[s] as string)) s++;
      while (e > s && /\s/.test(text[e - 1] as string)) e--;
      return { text: text.slice(s, e), start: s, end: e };
    };
  };
  const maps = Object.fromEntries(
    sigla.map((s) => [s, mapper(collations[s] as Collation, witnesses[s] as string)]),
  );
  const columns: Column[] = [];
  const column = (a: number, b: number, variant: boolean) => {
    const cells: Record<string, Cell> = { [baseSiglum]: { text: base.slice(a, b), start: a, end: b } };
    for (const s of sigla) cells[s] = (maps[s] as (a: number, b: number, v: boolean) => Cell)(a, b, variant);
    columns.push({ base: { start: a, end: b, text: base.slice(a, b) }, variant, cells });
  };
  let cursor = 0;
  for (const [a, b] of points) {
    if (a > cursor) column(cursor, a, false);
    column(a, b, true);
    cursor = b;
  }
  if (cursor < base.length) column(cursor, base.length, false);
  return { base: baseSiglum, sigla: [baseSiglum, ...sigla], columns };
}

const TOKEN = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*\s*|[^\s\p{L}\p{N}]\s*/gu;

/**
 * CollateX's JSON form of an alignment table: `witnesses` and, for each witness in that order, its row
 * of cells, each an array of tokens `{t, n}` (the text, and its normal form), `null` where it lacks the
 * stretch. Only variation points and the invariant stretches between them are columns.
 */
export function collatexJson(t: AlignmentTable): {
  witnesses: string[];
  table: ({ t: string; n: string }[] | null)[][];
} {
  return {
    witnesses: t.sigla,
    table: t.sigla.map((s) =>
      t.columns.map((c) => {
        const cell = c.cells[s];
        if (!cell) return null;
        return [...cell.text.matchAll(TOKEN)].map((m) => ({ t: m[0], n: m[0].trim().toLowerCase() }));
      }),
    ),
  };
}

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * The table in TEI parallel segmentation: the base's paragraphs, an `app` at each variation point with
 * the base's reading as `lem` and each different reading once, with every witness that has it. A witness
 * lacking the stretch has no reading there.
 */
export function teiParallelSegmentation(t: AlignmentTable): string {
  const paras: string[] = [];
  let p = "";
  for (const c of t.columns) {
    if (!c.variant) {
      const pieces = c.base.text.split(/\n\n+/);
      p += escapeXml(pieces[0] as string);
      for (const piece of pieces.slice(1)) {
        paras.push(p);
        p = escapeXml(piece);
      }
      continue;
    }
    const readings = new Map<string, string[]>();
    for (const s of t.sigla.slice(1)) {
      const cell = c.cells[s];
      if (!cell) continue;
      readings.set(cell.text, [...(readings.get(cell.text) ?? []), s]);
    }
    const lem = c.base.text.replace(/\n\n+/g, " ");
    const rdgs = [...readings]
      .filter(([text]) => text !== c.base.text)
      .map(([text, ws]) => {
        const wit = ws.map((w) => `#${w}`).join(" ");
        return text
          ? `<rdg wit="${wit}">${escapeXml(text.replace(/\n\n+/g, " "))}</rdg>`
          : `<rdg wit="${wit}"/>`;
      });
    const same = readings.get(c.base.text) ?? [];
    const lemWit = [t.base, ...same].map((w) => `#${w}`).join(" ");
    p += `<app>${lem ? `<lem wit="${lemWit}">${escapeXml(lem)}</lem>` : `<lem wit="${lemWit}"/>`}${rdgs.join("")}</app>`;
  }
  paras.push(p);
  return paras.map((x) => `<p>${x}</p>`).join("\n");
}

/**
 * A whole TEI P5 document of the table: a header whose `listWit` declares every witness (their
 * sigla as ids, `titles` their descriptions), and the body in parallel segmentation.
 */
export function teiAlignmentDocument(
  t: AlignmentTable,
  title: string,
  titles: Record<string, string> = {},
): string {
  const witnesses = t.sigla
    .map((s) => `<witness xml:id="${escapeXml(s)}">${escapeXml(titles[s] ?? s)}</witness>`)
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>${escapeXml(title)}</title></titleStmt><publicationStmt><p>Collated by Variorum: proposed by the collator, not reviewed.</p></publicationStmt><sourceDesc><listWit>${witnesses}</listWit></sourceDesc></fileDesc><encodingDesc><variantEncoding method="parallel-segmentation" location="internal"/></encodingDesc></teiHeader><text><body>
${teiParallelSegmentation(t)}
</body></text></TEI>
`;
}

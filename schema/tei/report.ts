/**
 * The import report: what happened to every kind of thing in the file, grouped, with counts and the first
 * few line numbers. Three words, used truthfully:
 * - *kept*: represented in the edition and written back by the export as it came;
 * - *converted*: its text is kept, but as something else (a verse line as a paragraph, `<hi rend="smallcaps">`
 *   as emphasis, an unknown element as plain text);
 * - *dropped*: not in the edition (a header part, front matter, an attribute, the other half of a `choice`).
 */
import type { Node as XNode } from "@xmldom/xmldom";
import { lineOf } from "./dom.ts";

export type Verdict = "kept" | "converted" | "dropped";

/** One group of the report: a kind of thing (`<l>`, `@rend on <hi>`), what happened to it, how often, where. */
export interface ReportGroup {
  what: string;
  verdict: Verdict;
  how: string;
  count: number;
  /** The first lines it occurs on (at most LINES_SHOWN). */
  lines: number[];
  /** Whether it occurs on more lines than those listed. */
  moreLines: boolean;
  /** For attributes: the distinct values met (at most VALUES_SHOWN), and how many there were. */
  values: string[];
  valueCount: number;
}

export interface ImportReport {
  /** Every group, in the order first met. */
  groups: ReportGroup[];
  /** The groups that are not kept as they came (converted or dropped), one line each. */
  notRepresented: string[];
}

const LINES_SHOWN = 5;
const VALUES_SHOWN = 8;

/** Collects report groups while a file is read. */
export class Report {
  private readonly groups = new Map<string, ReportGroup & { allValues: Set<string> }>();
  private readonly apart = new Set<string>();

  add(node: XNode | null, what: string, verdict: Verdict, how: string, value?: string): void {
    const key = `${what}\u0000${verdict}\u0000${how}`;
    let g = this.groups.get(key);
    if (!g) {
      g = {
        what,
        verdict,
        how,
        count: 0,
        lines: [],
        moreLines: false,
        values: [],
        valueCount: 0,
        allValues: new Set(),
      };
      this.groups.set(key, g);
    }
    g.count++;
    const line = node ? lineOf(node) : null;
    if (line !== null && !g.lines.includes(line)) {
      if (g.lines.length < LINES_SHOWN) g.lines.push(line);
      else g.moreLines = true;
    }
    if (value !== undefined && !g.allValues.has(value)) {
      g.allValues.add(value);
      g.valueCount++;
      if (g.values.length < VALUES_SHOWN) g.values.push(value);
    }
  }

  kept(node: XNode, what: string, how: string, value?: string): void {
    this.add(node, what, "kept", how, value);
  }
  converted(node: XNode | null, what: string, how: string, value?: string): void {
    this.add(node, what, "converted", how, value);
  }
  dropped(node: XNode | null, what: string, how: string, value?: string): void {
    this.add(node, what, "dropped", how, value);
  }
  /** Kept, but not where or as it came (an entry not attached to the text): listed with what is not. */
  keptApart(node: XNode, what: string, how: string, value?: string): void {
    this.add(node, what, "kept", how, value);
    this.apart.add(`${what}\u0000kept\u0000${how}`);
  }

  result(): ImportReport {
    const listed = [...this.groups].filter(([key, g]) => g.verdict !== "kept" || this.apart.has(key));
    const groups = [...this.groups.values()].map(({ allValues: _, ...g }) => g);
    return { groups, notRepresented: listed.map(([, { allValues: _, ...g }]) => formatGroup(g)) };
  }
}

/** `<l>: 12 elements, converted: each line becomes a paragraph (lines 4, 5, 9, …)`. */
export function formatGroup(g: ReportGroup): string {
  const n = g.count.toLocaleString("en");
  const unit = g.what.startsWith("@") ? "attribute" : g.what.startsWith("<") ? "element" : "occurrence";
  const counted = `${n} ${unit}${g.count === 1 ? "" : "s"}`;
  const values =
    g.valueCount > 0
      ? `; ${g.valueCount} ${g.valueCount === 1 ? "value" : "values"}: ${g.values.map((v) => `"${v}"`).join(", ")}${g.valueCount > g.values.length ? ", …" : ""}`
      : "";
  const lines =
    g.lines.length > 0
      ? ` (${g.lines.length === 1 ? "line" : "lines"} ${g.lines.join(", ")}${g.moreLines ? ", …" : ""})`
      : "";
  return `${g.what}: ${counted}, ${g.verdict}: ${g.how}${values}${lines}`;
}

/**
 * A query against the reading edition's index: words (each matching any word it begins) and "quoted
 * phrases", read as the workbench's search reads them (`../search/query.ts`). MiniSearch finds the
 * things holding every word; a phrase's words must then follow each other in the folded text. Each hit
 * carries a snippet of its text around the first match, the matches marked, in the original spelling.
 */
import type MiniSearch from "minisearch";
import type { Query } from "minisearch";
import { foldWithMap } from "../search/fold.ts";
import { findTerms, parseQuery, type Term } from "../search/query.ts";
import { READING_KINDS, type ReadingKind, type ReadingSearchDoc } from "./searchOptions.ts";

/** A piece of a snippet: marked if it is a match. */
export interface SnippetPart {
  text: string;
  mark: boolean;
}

export interface ReadingHit {
  kind: ReadingKind;
  href: string;
  where: string;
  parts: SnippetPart[];
}

/** Characters of context shown before the first match, and the snippet's length at most. */
const BEFORE = 60;
const LENGTH = 200;

/** The MiniSearch query for the terms: every word of every term; a prefix term's last word as a prefix. */
export function miniSearchQuery(terms: Term[]): Query {
  return {
    combineWith: "AND",
    queries: terms.map((t) => ({
      combineWith: "AND",
      queries: [t.words.join(" ")],
      prefix: t.prefix ? (_term: string, i: number, all: string[]) => i === all.length - 1 : false,
    })),
  };
}

/** The hits of a query, grouped by kind (text, notes, variants, glossary), each group in the edition's order. */
export function searchReading(index: MiniSearch<ReadingSearchDoc>, query: string, limit = 60): ReadingHit[] {
  const terms = parseQuery(query);
  if (terms.length === 0) return [];
  const rank = (k: unknown) => READING_KINDS.indexOf(k as ReadingKind);
  // In the order they are listed, so that only the hits shown are checked and cut into snippets.
  const found = index
    .search(miniSearchQuery(terms))
    .sort((a, b) => rank(a.kind) - rank(b.kind) || Number(a.id) - Number(b.id));
  const hits: ReadingHit[] = [];
  for (const r of found) {
    if (hits.length >= limit) break;
    const text = String(r.text ?? "");
    const folded = foldWithMap(text);
    // Every term must occur as such: a phrase's words in order, a prefix at a word's start.
    if (!terms.every((t) => findTerms(folded.text, [t]).length > 0)) continue;
    const ranges = findTerms(folded.text, terms).map(
      ([s, e]) => [folded.from[s] as number, folded.from[e] as number] as [number, number],
    );
    hits.push({
      kind: r.kind as ReadingKind,
      href: String(r.href),
      where: String(r.where),
      parts: snippet(text, ranges),
    });
  }
  return hits;
}

/** The text around the first match, cut at spaces, with every match in it marked. */
export function snippet(text: string, ranges: [number, number][]): SnippetPart[] {
  const first = ranges[0]?.[0] ?? 0;
  let start = Math.max(0, first - BEFORE);
  if (start > 0) {
    const space = text.indexOf(" ", start);
    if (space !== -1 && space < first) start = space + 1;
  }
  let end = Math.min(text.length, start + LENGTH);
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    if (space > first) end = space;
  }
  const parts: SnippetPart[] = [];
  const push = (s: string, mark: boolean) => {
    if (s) parts.push({ text: s, mark });
  };
  if (start > 0) push("…", false);
  let at = start;
  for (const [s, e] of ranges) {
    if (e <= at || s >= end) continue;
    push(text.slice(at, Math.max(at, s)), false);
    push(text.slice(Math.max(at, s), Math.min(e, end)), true);
    at = Math.min(e, end);
  }
  push(text.slice(at, end), false);
  if (end < text.length) push("…", false);
  return parts;
}

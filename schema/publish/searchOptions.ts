/**
 * How the reading edition's search index reads words: the options MiniSearch is given when the index is
 * built (with the pages) and again when the page loads it, so both read a word the same way. Words are
 * folded as the workbench's search folds them (case, accents and ё; й kept: `../search/fold.ts`).
 */
import type { Options } from "minisearch";
import { fold } from "../search/fold.ts";

/** The kinds of thing the reading edition's search finds, in the order results are listed. */
export const READING_KINDS = ["text", "note", "apparatus", "glossary"] as const;
export type ReadingKind = (typeof READING_KINDS)[number];

/** What a person reads above each group of results. */
export const READING_KIND_LABELS: Record<ReadingKind, string> = {
  text: "Text",
  note: "Notes",
  apparatus: "Variants",
  glossary: "Glossary",
};

/** One searchable thing of the published edition; `href` is its permalink, relative to the site. */
export interface ReadingSearchDoc {
  /** Its place in the edition's order (text, then notes, variants, glossary). */
  id: number;
  kind: ReadingKind;
  href: string;
  /** Where it is, for a person: "By way of a preface, ¶ 3", "note 2", "Q's reading of “…”". */
  where: string;
  text: string;
}

/** Words are runs of letters, digits and combining marks (a mark belongs to its letter until folded). */
export function tokenize(text: string): string[] {
  return text.split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean);
}

/** A word as the index keeps it: folded; nothing if folding leaves nothing. */
export function processTerm(term: string): string | null {
  return fold(term) || null;
}

export const READING_SEARCH_OPTIONS: Options<ReadingSearchDoc> = {
  idField: "id",
  fields: ["text"],
  storeFields: ["kind", "href", "where", "text"],
  tokenize,
  processTerm,
};

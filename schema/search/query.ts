/**
 * A search query as a person types it: words (each matching any word it begins), and "quoted phrases"
 * (those words in that order). Case and accents do not matter. Parsed into terms; the same terms build
 * the full-text query and find the matches to highlight.
 */
import { fold, words } from "./fold.ts";

/** One term: a run of words that must follow each other; the last one may be only a word's start. */
export interface Term {
  words: string[];
  prefix: boolean;
}

/** The terms of a query; an empty list when it has no word at all. */
export function parseQuery(query: string): Term[] {
  const terms: Term[] = [];
  const re = /"([^"]*)"?|([^\s"]+)/g;
  for (let m = re.exec(query); m; m = re.exec(query)) {
    const quoted = m[1] !== undefined;
    const ws = words(fold(m[1] ?? m[2] ?? ""));
    if (ws.length === 0) continue;
    if (quoted) terms.push({ words: ws, prefix: false });
    // A bare token with inner punctuation ("doesn't") is a phrase of its words; its last word a prefix.
    else terms.push({ words: ws, prefix: true });
  }
  return terms;
}

/** The query in SQLite FTS5's syntax: every term must match (words are quoted, so nothing is an operator). */
export function ftsQuery(terms: Term[]): string {
  return terms
    .map((t) => {
      const phrase = `"${t.words.join(" ")}"`;
      return t.prefix ? `${phrase}*` : phrase;
    })
    .join(" AND ");
}

/**
 * Where the terms occur in a folded text, as [start, end) offsets of that folded text, in order; a
 * prefix match runs to the end of its word (so "titan" marks "titanic").
 */
export function findTerms(folded: string, terms: Term[]): [number, number][] {
  const found: [number, number][] = [];
  for (const t of terms) {
    const body = t.words.map(escapeRegExp).join("[^\\p{L}\\p{N}]+");
    const re = new RegExp(
      `(?<![\\p{L}\\p{N}])${body}${t.prefix ? "[\\p{L}\\p{N}]*" : "(?![\\p{L}\\p{N}])"}`,
      "gu",
    );
    for (let m = re.exec(folded); m; m = re.exec(folded)) found.push([m.index, m.index + m[0].length]);
  }
  return found.sort((a, b) => a[0] - b[0]);
}

function escapeRegExp(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The full-text index of every open edition: SQLite's FTS5 in memory (derived data, rebuilt from the
 * documents whenever the process starts). Units are added, replaced and removed by key, per source
 * (an edition's main document, one witness document, its list of versions), so that an edit re-indexes
 * only what it changed.
 */
import Database from "better-sqlite3";
import { type Folded, foldWithMap } from "../../schema/search/fold.ts";
import { findTerms, ftsQuery, type Term } from "../../schema/search/query.ts";
import type { SearchKind, SearchUnit } from "../../schema/search/units.ts";

/** One answer: what it is, where, and a snippet of its text with the matches marked. */
export interface SearchHit {
  kind: SearchKind;
  id: string;
  where: string;
  snippet: string;
  /** [start, end) of each match in `snippet`. */
  marks: [number, number][];
  /** The first match, as the text has it (a client selects it). */
  match: string;
}

interface Held {
  unit: SearchUnit;
  rowid: number;
  /** The unit's text folded, with its map back: computed once, when the unit is indexed. */
  folded: Folded;
}

const SNIPPET = 80; // characters of context on each side of the first match

export class SearchIndex {
  private readonly db = new Database(":memory:");
  private readonly held = new Map<string, Map<string, Held>>();
  private readonly insert;
  private readonly remove;
  private readonly match;

  constructor() {
    // The text is folded before it is indexed (case, accents, ё), so the tokenizer only splits words.
    this.db.exec(
      "CREATE VIRTUAL TABLE fts USING fts5(folded, edition UNINDEXED, ukey UNINDEXED, tokenize = 'unicode61 remove_diacritics 0')",
    );
    this.insert = this.db.prepare("INSERT INTO fts (folded, edition, ukey) VALUES (?, ?, ?)");
    this.remove = this.db.prepare("DELETE FROM fts WHERE rowid = ?");
    this.match = this.db.prepare(
      "SELECT rowid, ukey FROM fts WHERE fts MATCH ? AND edition = ? ORDER BY bm25(fts) LIMIT ?",
    );
  }

  /** Makes the index hold exactly `units` for one source of an edition. */
  update(edition: string, source: string, units: SearchUnit[]): void {
    const bucket = `${edition}\u0000${source}`;
    const old = this.held.get(bucket) ?? new Map<string, Held>();
    const next = new Map<string, Held>();
    this.db.transaction(() => {
      for (const unit of units) {
        const before = old.get(unit.key);
        if (before && before.unit.text === unit.text && before.unit.where === unit.where) {
          next.set(unit.key, before);
          old.delete(unit.key);
          continue;
        }
        if (before) {
          this.remove.run(before.rowid);
          old.delete(unit.key);
        }
        const folded = foldWithMap(unit.text);
        const rowid = Number(
          this.insert.run(folded.text, edition, `${source}\u0000${unit.key}`).lastInsertRowid,
        );
        next.set(unit.key, { unit, rowid, folded });
      }
      for (const gone of old.values()) this.remove.run(gone.rowid);
    })();
    this.held.set(bucket, next);
  }

  /** Forgets everything of an edition (deleted). */
  drop(edition: string): void {
    for (const [bucket, units] of this.held) {
      if (!bucket.startsWith(`${edition}\u0000`)) continue;
      for (const h of units.values()) this.remove.run(h.rowid);
      this.held.delete(bucket);
    }
  }

  /** The best matches of every term in an edition, at most `limit`, kinds filtered by `allow`. */
  search(edition: string, terms: Term[], allow: (kind: SearchKind) => boolean, limit = 100): SearchHit[] {
    if (terms.length === 0) return [];
    const rows = this.match.all(ftsQuery(terms), edition, limit * 2) as { ukey: string }[];
    const hits: SearchHit[] = [];
    for (const row of rows) {
      const [source, key] = row.ukey.split("\u0000") as [string, string];
      const held = this.held.get(`${edition}\u0000${source}`)?.get(key);
      if (!held || !allow(held.unit.kind)) continue;
      hits.push(hit(held, terms));
      if (hits.length >= limit) break;
    }
    return hits;
  }
}

/** A unit's snippet around its first match, with every match inside it marked. */
function hit({ unit, folded }: Held, terms: Term[]): SearchHit {
  const { text, from } = folded;
  const found = findTerms(text, terms).map(([s, e]) => [from[s] as number, from[e] as number] as const);
  const first = found[0] ?? [0, 0];
  let start = Math.max(0, first[0] - SNIPPET);
  let end = Math.min(unit.text.length, first[1] + SNIPPET);
  // Cut at word boundaries, and say so with an ellipsis.
  if (start > 0) start = unit.text.indexOf(" ", start) + 1 || start;
  if (end < unit.text.length)
    end = unit.text.lastIndexOf(" ", end) > first[1] ? unit.text.lastIndexOf(" ", end) : end;
  const lead = start > 0 ? "…" : "";
  const snippet = `${lead}${unit.text.slice(start, end)}${end < unit.text.length ? "…" : ""}`;
  const marks = found
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]) => [s - start + lead.length, e - start + lead.length] as [number, number]);
  return {
    kind: unit.kind,
    id: unit.id,
    where: unit.where,
    snippet,
    marks,
    match: unit.text.slice(first[0], first[1]),
  };
}

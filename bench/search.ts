/**
 * `npm run bench -- search`: latency of the edition search (SQLite FTS5 over folded units, snippets
 * included) on the Manifesto and on 40 copies of it (about 1M characters), against a plain scan with
 * `String.includes` over the same units' folded texts in the same run (no index, no snippets).
 */
import { fold } from "../schema/search/fold.ts";
import { parseQuery } from "../schema/search/query.ts";
import { editionUnits, type SearchUnit } from "../schema/search/units.ts";
import { SearchIndex } from "../server/search/searchIndex.ts";
import { manifestoDoc } from "../tests/helpers/edition.ts";
import { percentile, queryTimes } from "./queryTimes.ts";

const QUERIES = [
  "titan",
  "struggle",
  "тревог",
  '"working class"',
  "bureaucr",
  "poincare",
  "nep",
  "soviet power",
];

const measure = (run: (q: string) => unknown, rounds: number) => queryTimes(QUERIES, run, rounds);

export function benchSearch(): void {
  const ydoc = manifestoDoc();
  const one = editionUnits(ydoc, true);
  console.log("search benchmark: FTS5 index vs a String.includes scan, same units, same run (ms per query)");
  console.log(
    "copies  characters   index build ms   index p50   index p95   scan p50   scan p95   scan/index p50",
  );
  for (const copies of [1, 40]) {
    const units: SearchUnit[] = [];
    for (let c = 0; c < copies; c++) for (const u of one) units.push({ ...u, key: `${c}:${u.key}` });
    const chars = units.reduce((n, u) => n + u.text.length, 0);
    const index = new SearchIndex();
    const build = performance.now();
    index.update("bench", "main", units);
    const buildMs = performance.now() - build;
    const folded = units.map((u) => fold(u.text));
    const scan = (q: string) => {
      const terms = parseQuery(q).map((t) => t.words.join(" "));
      const hits: number[] = [];
      folded.forEach((text, i) => {
        if (terms.every((t) => text.includes(t))) hits.push(i);
      });
      return hits.slice(0, 100);
    };
    const search = (q: string) => index.search("bench", parseQuery(q), () => true);
    measure(search, 3); // warm up
    measure(scan, 3);
    const s = measure(search, 25);
    const p = measure(scan, 25);
    console.log(
      `${String(copies).padStart(6)}  ${String(chars).padStart(10)}  ${buildMs.toFixed(1).padStart(15)}  ${s.p50.toFixed(3).padStart(10)}  ${s.p95.toFixed(3).padStart(10)}  ${p.p50.toFixed(3).padStart(9)}  ${p.p95.toFixed(3).padStart(9)}  ${(p.p50 / s.p50).toFixed(2).padStart(15)}`,
    );
  }
  // What a query pays after a colleague's edit: reading the units again and re-indexing what changed.
  const index = new SearchIndex();
  index.update("bench", "main", one);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    index.update("bench", "main", editionUnits(ydoc, true));
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(
    `refresh after an edit (the Manifesto: read its units, re-index what changed): p50 ${percentile(times, 0.5).toFixed(2)} ms`,
  );
}

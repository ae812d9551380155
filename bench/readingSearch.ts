/**
 * `npm run bench -- reading-search`: the reading edition's search (MiniSearch, as the page runs it:
 * `searchHits.ts`, phrase check and snippets included) on the Manifesto and on the large edition, against
 * a plain `String.includes` scan of the same things' folded texts in the same run (no index, no
 * snippets); with the index's build time and the size of `search-index.js`.
 */
import MiniSearch from "minisearch";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import type * as Y from "yjs";
import { listGlossary } from "../schema/glossary.ts";
import { copyDoc, ROOTS, readMeta } from "../schema/layout.ts";
import { publication } from "../schema/publication.ts";
import { searchReading } from "../schema/publish/searchHits.ts";
import { readingSearchDocs, searchIndexScript } from "../schema/publish/searchIndex.ts";
import { READING_SEARCH_OPTIONS, type ReadingSearchDoc } from "../schema/publish/searchOptions.ts";
import { schema } from "../schema/schema.ts";
import { fold } from "../schema/search/fold.ts";
import { parseQuery } from "../schema/search/query.ts";
import { manifestoDoc } from "../tests/helpers/edition.ts";
import { largeEdition } from "./largeEdition.ts";
import { queryTimes } from "./queryTimes.ts";

const QUERIES = [
  "titan",
  "struggle",
  "советская",
  '"working class"',
  "bureaucr",
  "poincare",
  "nep",
  "soviet power",
];

const measure = (run: (q: string) => unknown, rounds: number) => queryTimes(QUERIES, run, rounds);

function docsOf(live: Y.Doc): ReadingSearchDoc[] {
  const ydoc = copyDoc(live);
  const body = yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(ROOTS.body), schema);
  return readingSearchDocs(body, publication(ydoc, body), listGlossary(ydoc), readMeta(ydoc).baseWitness);
}

export function benchReadingSearch(): void {
  console.log(
    "reading-edition search: MiniSearch index (as the page runs it) vs a String.includes scan, same things, same run (ms per query)",
  );
  console.log(
    "edition      characters  things  build ms  index.js KB  index p50  index p95  scan p50  scan p95  scan/index p50",
  );
  for (const [name, live] of [
    ["Manifesto", manifestoDoc()],
    ["large", largeEdition().doc],
  ] as const) {
    const docs = docsOf(live);
    const chars = docs.reduce((n, d) => n + d.text.length, 0);
    const build = performance.now();
    const script = searchIndexScript(docs);
    const buildMs = performance.now() - build;
    // Loaded as the page loads it: the object the script assigns.
    const sandbox: { variorumSearch?: unknown } = {};
    new Function("self", script)(sandbox);
    const index = MiniSearch.loadJS(sandbox.variorumSearch as never, READING_SEARCH_OPTIONS);
    const folded = docs.map((d) => fold(d.text));
    const scan = (q: string) => {
      const terms = parseQuery(q).map((t) => t.words.join(" "));
      const hits: number[] = [];
      folded.forEach((text, i) => {
        if (terms.every((t) => text.includes(t))) hits.push(i);
      });
      return hits.slice(0, 60);
    };
    const search = (q: string) => searchReading(index, q);
    measure(search, 3); // warm up
    measure(scan, 3);
    const s = measure(search, 20);
    const p = measure(scan, 20);
    console.log(
      `${name.padEnd(10)}  ${String(chars).padStart(10)}  ${String(docs.length).padStart(6)}  ${buildMs.toFixed(0).padStart(8)}  ${(script.length / 1024).toFixed(0).padStart(11)}  ${s.p50.toFixed(3).padStart(9)}  ${s.p95.toFixed(3).padStart(9)}  ${p.p50.toFixed(3).padStart(8)}  ${p.p95.toFixed(3).padStart(8)}  ${(p.p50 / s.p50).toFixed(2).padStart(14)}`,
    );
  }
}

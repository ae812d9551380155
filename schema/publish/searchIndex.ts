/**
 * The reading edition's search index, built with its pages: what is published and nothing else — the
 * base text by paragraph and heading, the footnotes, the published readings and notes of the apparatus
 * entries shown in the text, the glossary entries. No comments: the reading edition is public. Shipped as
 * a script (`search-index.js` setting `self.variorumSearch`), because a page opened from disk (file://)
 * cannot fetch a JSON file.
 */
import MiniSearch from "minisearch";
import type { Node } from "prosemirror-model";
import type * as Y from "yjs";
import type { GlossaryRecord } from "../glossary.ts";
import { listGlossary } from "../glossary.ts";
import { readMeta } from "../layout.ts";
import { type Publication, publication } from "../publication.ts";
import { readBody } from "../readBody.ts";
import { READING_SEARCH_OPTIONS, type ReadingSearchDoc } from "./searchOptions.ts";

/** The files of the search, beside the pages: the index, and the script that reads it. */
export const SEARCH_INDEX_FILE = "search-index.js";
export const SEARCH_SCRIPT_FILE = "reader-search.js";

/** The blocks the reading edition gives their own id (a permalink). */
const ANCHORED = new Set(["paragraph", "heading", "verse_line"]);

/**
 * The searchable things of a published edition, in its order. Notes are numbered and named as the
 * reading edition numbers them (`note-<n>` when a note has no id); a block without a permalink of its
 * own links to the last one before it.
 */
export function readingSearchDocs(
  body: Node,
  pub: Publication,
  glossary: GlossaryRecord[],
  baseWitness: string,
): ReadingSearchDoc[] {
  const docs: Omit<ReadingSearchDoc, "id">[] = [];
  const notes: Omit<ReadingSearchDoc, "id">[] = [];
  const lemmas = new Map<string, string>();
  let section = "";
  let paragraphs = 0;
  let noteCount = 0;
  let lastAnchor = "";
  const textblock = (node: Node) => {
    let text = "";
    node.forEach((child) => {
      if (child.isText) {
        text += child.text ?? "";
        for (const m of child.marks)
          if (m.type.name === "lemma") {
            const app = String(m.attrs.app);
            lemmas.set(app, (lemmas.get(app) ?? "") + (child.text ?? ""));
          }
      } else if (child.type.name === "hard_break") text += " ";
      else if (child.type.name === "anchor") {
        const app = String(child.attrs.app);
        if (!lemmas.has(app)) lemmas.set(app, "");
      } else if (child.type.name === "note") {
        noteCount++;
        const id = (child.attrs.id as string | null) ?? `note-${noteCount}`;
        notes.push({
          kind: "note",
          href: `index.html#${id}`,
          where: `note ${noteCount}`,
          text: child.textContent,
        });
      }
    });
    const id = ANCHORED.has(node.type.name) ? (node.attrs.id as string | null) : null;
    if (id) lastAnchor = id;
    const href = `index.html${lastAnchor ? `#${lastAnchor}` : ""}`;
    if (node.type.name === "heading") {
      section = text;
      if (text.trim()) docs.push({ kind: "text", href, where: "heading", text });
    } else if (text.trim()) {
      paragraphs++;
      docs.push({ kind: "text", href, where: `${section ? `${section}, ` : ""}¶ ${paragraphs}`, text });
    }
  };
  const visit = (node: Node) => {
    node.forEach((child) => {
      if (child.isTextblock) textblock(child);
      else if (!child.isLeaf) visit(child);
    });
  };
  visit(body);
  docs.push(...notes);
  for (const [app, lemma] of lemmas) {
    const entry = pub.entry(app);
    if (!entry) continue;
    const of = lemma ? ` of “${lemma.length > 40 ? `${lemma.slice(0, 40)}…` : lemma}”` : "";
    const href = `index.html#${app}`;
    for (const [siglum, reading] of Object.entries(entry.readings))
      if (siglum !== baseWitness && reading.kind === "text" && reading.text.trim())
        docs.push({
          kind: "apparatus",
          href,
          // As the page prints it: a proposed reading (published if the owner says so) says so.
          where: `${siglum}'s reading${of}${pub.proposed(entry, siglum) ? " (proposed, not yet reviewed)" : ""}`,
          text: reading.text,
        });
    if (entry.note.trim()) docs.push({ kind: "apparatus", href, where: `note${of}`, text: entry.note });
  }
  for (const g of glossary)
    docs.push({
      kind: "glossary",
      href: `glossary.html#${g.id}`,
      where: `${g.headword} (${g.kind})`,
      text: [g.headword, ...g.forms, g.definition].filter(Boolean).join(" · "),
    });
  return docs.map((d, id) => ({ id, ...d }));
}

/** The index of those things, as MiniSearch keeps it. */
export function buildReadingIndex(docs: ReadingSearchDoc[]): MiniSearch<ReadingSearchDoc> {
  const index = new MiniSearch<ReadingSearchDoc>(READING_SEARCH_OPTIONS);
  index.addAll(docs);
  return index;
}

/** `search-index.js`: the index as a script that sets `self.variorumSearch` for `reader-search.js`. */
export function searchIndexScript(docs: ReadingSearchDoc[]): string {
  return `// The reading edition's search index (MiniSearch), built with its pages.\nself.variorumSearch = ${JSON.stringify(buildReadingIndex(docs))};\n`;
}

/** `search-index.js` of an edition's current document (what the server serves beside the pages). */
export function editionSearchIndexScript(live: Y.Doc): string {
  // Read in place: nothing here writes, and the body is read by readBody, which never does.
  const ydoc = live;
  const body = readBody(ydoc);
  return searchIndexScript(
    readingSearchDocs(body, publication(ydoc, body), listGlossary(ydoc), readMeta(ydoc).baseWitness),
  );
}

/** The search's two files for an exported site: the index of this publication, and the page script. */
export function readingSearchFiles(
  body: Node,
  pub: Publication,
  glossary: GlossaryRecord[],
  baseWitness: string,
  script: string,
): { path: string; content: string }[] {
  return [
    {
      path: SEARCH_INDEX_FILE,
      content: searchIndexScript(readingSearchDocs(body, pub, glossary, baseWitness)),
    },
    { path: SEARCH_SCRIPT_FILE, content: script },
  ];
}

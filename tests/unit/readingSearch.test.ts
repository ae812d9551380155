import MiniSearch from "minisearch";
import { describe, expect, it } from "vitest";
import { decide } from "../../schema/apparatus.ts";
import { createThread } from "../../schema/comments.ts";
import { readingEdition } from "../../schema/html.ts";
import { readPublicationSettings, setPublicationSettings } from "../../schema/publication.ts";
import { type ReadingHit, searchReading } from "../../schema/publish/searchHits.ts";
import { editionSearchIndexScript } from "../../schema/publish/searchIndex.ts";
import {
  processTerm,
  READING_SEARCH_OPTIONS,
  type ReadingSearchDoc,
  tokenize,
} from "../../schema/publish/searchOptions.ts";
import { manifestoDoc } from "../helpers/edition.ts";

/** Loads a `search-index.js` as the page does: the object it assigns, read by MiniSearch. */
function loadIndex(script: string): MiniSearch<ReadingSearchDoc> {
  const sandbox: { variorumSearch?: unknown } = {};
  new Function("self", script)(sandbox);
  return MiniSearch.loadJS(sandbox.variorumSearch as never, READING_SEARCH_OPTIONS);
}

const marked = (h: ReadingHit) => h.parts.filter((p) => p.mark).map((p) => p.text);
const plain = (h: ReadingHit) => h.parts.map((p) => p.text).join("");

describe("the reading edition's search index", () => {
  const doc = manifestoDoc();
  const index = loadIndex(editionSearchIndexScript(doc));

  it("folds words as the workbench does: case, accents and ё, but not й", () => {
    expect(tokenize("Ещё, naïve Poincaré's")).toEqual(["Ещё", "naïve", "Poincaré", "s"]);
    expect(["Ещё", "ЕЩЕ", "NAÏVE", "Poincaré"].map(processTerm)).toEqual(["еще", "еще", "naive", "poincare"]);
    expect(processTerm("Мой")).toBe("мой");
    expect(processTerm("Мой")).not.toBe(processTerm("Мои"));
  });

  it("finds the Russian советская as Советская in RU's readings, marked as RU spells it", () => {
    const hits = searchReading(index, "советская");
    expect(hits.length).toBeGreaterThan(0);
    const ru = hits.find((h) => h.kind === "apparatus" && h.where.startsWith("RU's reading"));
    expect(ru, JSON.stringify(hits)).toBeDefined();
    expect(marked(ru as ReadingHit)).toContain("Советская");
    expect(ru?.href).toMatch(/^index\.html#app-/);
  });

  it("reads words as beginnings of words, and all of them must occur", () => {
    const kron = searchReading(index, "kronst");
    expect(kron.some((h) => h.href === "glossary.html#gl-kronstadt")).toBe(true);
    for (const h of kron) expect(marked(h).every((m) => /^kronst/i.test(m))).toBe(true);
    const both = searchReading(index, "poincare versailles");
    expect(both.length).toBeGreaterThan(0);
    for (const h of both) {
      expect(plain(h).length).toBeGreaterThan(0);
      expect(marked(h).some((m) => m === "Poincaré")).toBe(true);
    }
  });

  it("keeps a quoted phrase's words together and in order", () => {
    const phrase = searchReading(index, '"soviet power"');
    expect(phrase.length).toBeGreaterThan(0);
    for (const h of phrase) expect(marked(h).map((m) => m.toLowerCase())).toContain("soviet power");
    // The same two words, in the other order: found apart, never as the phrase.
    const apart = searchReading(index, "power soviet");
    expect(apart.length).toBeGreaterThan(phrase.length);
    expect(searchReading(index, '"power soviet"')).toEqual([]);
  });

  it("lists the text first, in the edition's order, with permalinks of the pages", () => {
    const hits = searchReading(index, '"workers group"');
    const kinds = hits.map((h) => h.kind);
    expect(kinds).toEqual([...kinds].sort((a, b) => order(a) - order(b)));
    const paragraphs = hits.filter((h) => h.kind === "text").map((h) => Number(h.href.split("#p")[1]));
    expect(paragraphs).toEqual([...paragraphs].sort((a, b) => a - b));
    const site = readingEdition(doc, { css: "", js: "" });
    const html = site.find((f) => f.path === "index.html")?.content ?? "";
    const glossary = site.find((f) => f.path === "glossary.html")?.content ?? "";
    for (const h of searchReading(index, "the").slice(0, 60)) {
      const [file, id] = h.href.split("#");
      expect(file === "index.html" ? html : glossary).toContain(`id="${id}"`);
    }
  });

  it("finds the footnotes by their words and links them to the notes", () => {
    const hits = searchReading(index, "KAI");
    const note = hits.find((h) => h.kind === "note");
    expect(note?.href).toBe("index.html#note-7");
  });

  it("holds only the published readings: a rejected one is not found, a proposed one only if printed, and says so", () => {
    const rejected = manifestoDoc();
    decide(rejected, "app-ru-4", { status: "rejected" }, "rev", 1);
    expect(searchReading(loadIndex(editionSearchIndexScript(rejected)), "советская")).toEqual([]);
    const proposed = manifestoDoc();
    decide(proposed, "app-ru-4", { status: "proposed" }, "rev", 1);
    expect(searchReading(loadIndex(editionSearchIndexScript(proposed)), "советская")).toEqual([]);
    setPublicationSettings(proposed, { ...readPublicationSettings(proposed), includeProposed: true });
    const [hit] = searchReading(loadIndex(editionSearchIndexScript(proposed)), "советская");
    expect(hit?.where).toMatch(/^RU's reading of “.*” \(proposed, not yet reviewed\)$/);
  });

  it("holds no comment: the reading edition is public", () => {
    const withComment = manifestoDoc();
    createThread(withComment, "c-secret", { kind: "entry", app: "app-q-1" }, "Ann", "zebraword privately");
    expect(searchReading(loadIndex(editionSearchIndexScript(withComment)), "zebraword")).toEqual([]);
  });

  it("ships with the exported site when the search script is given", () => {
    const files = readingEdition(doc, { css: "", js: "", search: "/* script */" }).map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["search-index.js", "reader-search.js"]));
    expect(readingEdition(doc, { css: "", js: "" }).map((f) => f.path)).not.toContain("search-index.js");
  });
});

const order = (k: string) => ["text", "note", "apparatus", "glossary"].indexOf(k);

import { describe, expect, it } from "vitest";
import { createThread, newThreadId } from "../../schema/comments.ts";
import { fold, foldWithMap } from "../../schema/search/fold.ts";
import { parseQuery } from "../../schema/search/query.ts";
import { editionUnits, type SearchUnit } from "../../schema/search/units.ts";
import { SearchIndex } from "../../server/search/searchIndex.ts";
import { manifestoDoc } from "../helpers/edition.ts";

const all = () => true;

describe("search folding and queries", () => {
  it("ignores case and accents, folds ё to е, and keeps й a letter of its own", () => {
    expect(fold("Poincaré ÉCOLE")).toBe("poincare ecole");
    expect(fold("Ещё")).toBe("еще");
    expect(fold("Рабочий")).toBe("рабочий");
    const f = foldWithMap("Ёлка é");
    expect(f.text).toBe("елка e");
    expect(f.from[5]).toBe(5);
  });

  it("reads words as prefixes and quoted words as a phrase", () => {
    expect(parseQuery('titan "class struggle" Мяс')).toEqual([
      { words: ["titan"], prefix: true },
      { words: ["class", "struggle"], prefix: false },
      { words: ["мяс"], prefix: true },
    ]);
    expect(parseQuery('  " " ')).toEqual([]);
  });
});

describe("the search index over the Manifesto", () => {
  const ydoc = manifestoDoc();
  const index = new SearchIndex();
  index.update("manifesto", "main", editionUnits(ydoc, true));
  const search = (q: string, allow: (k: string) => boolean = all) =>
    index.search("manifesto", parseQuery(q), allow);

  it("finds the base text by a word's start, and marks the match in its snippet", () => {
    const hits = search("titan");
    expect(hits[0]?.kind).toBe("text");
    const h = hits[0] as (typeof hits)[number];
    expect(h.match).toBe("titanic");
    const [s, e] = h.marks[0] as [number, number];
    expect(h.snippet.slice(s, e)).toBe("titanic");
    expect(h.where).toMatch(/By way of a preface, ¶ 1/);
  });

  it("finds a quoted phrase only where its words follow each other", () => {
    expect(search('"titanic struggle"').map((h) => h.kind)).toContain("text");
    expect(search('"struggle titanic"')).toEqual([]);
  });

  it("finds the Russian readings in any case, and glossary entries without their accents", () => {
    const ru = search("ТРЕВОГУ");
    expect(ru.some((h) => h.kind === "witness" && h.where.startsWith("RU's reading"))).toBe(true);
    expect(search("poincare").some((h) => h.kind === "glossary")).toBe(true);
    const sov = search("советская").find((h) => h.where.startsWith("RU's reading")) as ReturnType<
      typeof search
    >[number];
    const [s, e] = sov.marks[0] as [number, number];
    expect(sov.snippet.slice(s, e)).toBe("Советская");
  });

  it("follows changes: a changed unit is found by its new words and no longer by its old ones", () => {
    const id = newThreadId();
    createThread(ydoc, id, { kind: "entry", app: "app-q-1" }, "Rhea", "Compare the Invariance wording");
    index.update("manifesto", "main", editionUnits(ydoc, true));
    const comments = (hits: ReturnType<typeof search>) =>
      hits.filter((h) => h.kind === "comment").map((h) => h.id);
    expect(comments(search("invariance wording"))).toEqual([id]);
    // Comments are left out for those who are not members.
    expect(comments(search("invariance wording", (k) => k !== "comment"))).toEqual([]);
    const units: SearchUnit[] = [
      { key: "x", kind: "version", id: "1", where: "v", text: "sent to the typesetter" },
    ];
    const versions = (q: string) =>
      search(q)
        .filter((h) => h.kind === "version")
        .map((h) => h.id);
    index.update("manifesto", "versions", units);
    expect(versions("typesetter")).toEqual(["1"]);
    index.update("manifesto", "versions", [{ ...(units[0] as SearchUnit), text: "galley proofs" }]);
    expect(versions("typesetter")).toEqual([]);
    expect(versions("galley")).toEqual(["1"]);
  });
});

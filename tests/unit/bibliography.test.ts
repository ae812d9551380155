import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addCitation,
  createRenderer,
  findDuplicates,
  importBibliography,
  listBibliography,
  readBibEntry,
  readCitations,
  setBibEntry,
  updateBibEntry,
} from "../../schema/bibliography/index.ts";
import { type ChangeSummary, summarizeTransaction } from "../../schema/changeSummary.ts";
import { ROOTS } from "../../schema/layout.ts";
import { cslFiles } from "../../server/cslFiles.ts";

const BIBTEX = `
@article{ward-ir9,
  author = {Ward, C. D.},
  title = {The Communist Left in Russia 1918-1930, Part 2},
  journal = {International Review},
  number = {9},
}
@book{icc-book,
  author = {{International Communist Current}},
  title = {The Russian Communist Left 1918-30},
  year = 2005,
  doi = {10.1234/RCL}
}
`;

describe("bibliography import", () => {
  it("reads BibTeX entries into CSL-JSON items", () => {
    const result = importBibliography(BIBTEX);
    expect(result.format).toBe("bibtex");
    expect(result.errors).toEqual([]);
    const ward = result.items.find((i) => i.id === "ward-ir9");
    expect(ward?.type).toBe("article-journal");
    expect(ward?.author).toEqual([{ family: "Ward", given: "C. D." }]);
    expect(ward?.["container-title"]).toBe("International Review");
    expect(ward?.issue).toBe("9");
    const book = result.items.find((i) => i.id === "icc-book");
    expect(book?.author?.[0]?.family).toBe("International Communist Current");
    expect(book?.issued?.["date-parts"]).toEqual([[2005]]);
  });

  it("refuses a broken BibTeX entry by its key and line and still reads the others", () => {
    const result = importBibliography(
      `@book{good, title={Fine}, year=2000}\n\n@article{broken, title={Never closed, year=2001\n`,
    );
    expect(result.items.map((i) => i.id)).toEqual(["good"]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/BibTeX entry "broken" \(line 3\): its braces never close/);
  });

  it("reads CSL-JSON and refuses an item with an unknown type, naming it", () => {
    const result = importBibliography(
      JSON.stringify([
        {
          id: "pirani",
          type: "review",
          title: "Communist dissidence and its context",
          author: [{ family: "Pirani", given: "Simon" }],
        },
        { id: "odd", type: "scroll", title: "Nothing" },
      ]),
    );
    expect(result.items.map((i) => i.id)).toEqual(["pirani"]);
    expect(result.errors).toEqual([expect.stringMatching(/item 2: type: the type is one of CSL's/)]);
  });

  it("refuses text that is no bibliography with a message that says what was expected", () => {
    expect(() => importBibliography("just some words")).toThrow(/expected CSL-JSON .* or BibTeX/);
    expect(() => importBibliography("[not json")).toThrow(/not CSL-JSON/);
  });
});

describe("bibliography store and duplicates", () => {
  it("keeps entries field by field in the bibliography root and reads them back", () => {
    const ydoc = new Y.Doc();
    const item = importBibliography(BIBTEX).items[0];
    if (!item) throw new Error("no item");
    setBibEntry(ydoc, item);
    const map = ydoc.getMap<Y.Map<unknown>>(ROOTS.bibliography).get(item.id);
    expect(map?.get("title")).toBe(item.title);
    expect(readBibEntry(ydoc, item.id)).toEqual(item);
    setBibEntry(ydoc, { ...item, title: "Corrected" });
    expect(readBibEntry(ydoc, item.id)?.title).toBe("Corrected");
    expect(() => setBibEntry(ydoc, { id: "bad id", type: "book" })).toThrow(
      /bibliography entry "bad id": id/,
    );
  });

  it("changes only the fields given, so that two people editing two fields of one entry both keep theirs", () => {
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const author = [{ family: "Gogh", given: "Vincent", "non-dropping-particle": "van" }];
    setBibEntry(a, { id: "gogh", type: "book", title: "Letters", author });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    updateBibEntry(a, "gogh", { publisher: "Penguin", title: "" });
    updateBibEntry(b, "gogh", { ISBN: "978-0-14-044674-8" });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const expected = { id: "gogh", type: "book", author, publisher: "Penguin", ISBN: "978-0-14-044674-8" };
    expect(readBibEntry(a, "gogh")).toEqual(expected);
    expect(readBibEntry(b, "gogh")).toEqual(expected);
    expect(() => updateBibEntry(a, "gogh", { type: "novel" })).toThrow(/bibliography entry "gogh": type/);
    expect(() => updateBibEntry(a, "nobody", { title: "X" })).toThrow(/"nobody": there is no such entry/);
    expect(readBibEntry(a, "gogh")).toEqual(expected);
  });

  it("finds two entries with one DOI, and two with the same title, year and first author", () => {
    const groups = findDuplicates([
      { id: "a", type: "book", title: "The Russian Communist Left", DOI: "10.1234/RCL" },
      { id: "b", type: "book", title: "Another title", DOI: "https://doi.org/10.1234/rcl" },
      {
        id: "c",
        type: "article",
        title: "Communist dissidence and its context",
        author: [{ family: "Pirani" }],
        issued: { "date-parts": [[2006]] },
      },
      {
        id: "d",
        type: "review",
        title: "Communist Dissidence, and its Context.",
        author: [{ family: "PIRANI", given: "S." }],
        issued: { "date-parts": [[2006, 3]] },
      },
      {
        id: "e",
        type: "review",
        title: "Communist dissidence and its context",
        author: [{ family: "Pirani" }],
        issued: { "date-parts": [[2007]] },
      },
    ]);
    expect(groups).toEqual([
      { ids: ["a", "b"], reason: "doi", key: "10.1234/rcl" },
      {
        ids: ["c", "d"],
        reason: "title-year-author",
        key: "communist dissidence and its context · 2006 · pirani",
      },
    ]);
  });

  it("names the entries a change touched in its summary, for the history", () => {
    const ydoc = new Y.Doc();
    const summaries: ChangeSummary[] = [];
    ydoc.on("afterTransaction", (tr: Y.Transaction) => summaries.push(summarizeTransaction(tr)));
    setBibEntry(ydoc, { id: "ward-ir9", type: "article-journal", title: "The Communist Left in Russia" });
    expect(summaries.at(-1)?.bibliography).toEqual(["ward-ir9"]);
    expect(summaries.at(-1)?.glossary).toEqual([]);
  });

  it("keeps a glossary entry's citations on the entry", () => {
    const ydoc = new Y.Doc();
    ydoc.getMap(ROOTS.glossary).set("gl-x", new Y.Map());
    addCitation(
      ydoc,
      { kind: "glossary", id: "gl-x" },
      { entry: "lawson-2021", locator: "3", label: "note" },
    );
    expect(readCitations(ydoc, { kind: "glossary", id: "gl-x" })).toEqual([
      { entry: "lawson-2021", locator: "3", label: "note" },
    ]);
    expect(() =>
      addCitation(ydoc, { kind: "witness", id: "ZZ" }, { entry: "x", locator: "", label: "page" }),
    ).toThrow(/unknown witness "ZZ"/);
  });
});

describe("citations rendered by citeproc", () => {
  const items = [
    {
      id: "lawson-2021",
      type: "post-weblog" as const,
      title: "The Most Intransigent of Bolsheviks",
      author: [{ family: "Lawson", given: "Tommy" }],
      "container-title": "libcom.org",
      issued: { "date-parts": [[2021, 9, 12]] },
    },
    {
      id: "ward-ir9",
      type: "article-journal" as const,
      title: "The Communist Left in Russia 1918-1930, Part 2",
      author: [{ family: "Ward", given: "C. D." }],
      "container-title": "International Review",
      issue: "9",
    },
  ];

  it("writes a Chicago note in full, then short, and a bibliography sorted by author", () => {
    const r = createRenderer(items, cslFiles(), "chicago-notes-bibliography", "text");
    const first = r.cite([{ entry: "ward-ir9", locator: "12", label: "page" }], 1);
    expect(first).toContain("C. D. Ward");
    expect(first).toContain("International Review");
    expect(first).toMatch(/12\.$/);
    const again = r.cite([{ entry: "ward-ir9", locator: "14", label: "page" }], 2);
    expect(again.length).toBeLessThan(first.length);
    expect(again).toContain("Ward");
    const bib = r.bibliography();
    expect(bib.map((e) => e.id)).toEqual(["lawson-2021", "ward-ir9"]);
    expect(bib[0]?.body).toMatch(/^Lawson, Tommy\. /);
  });

  it("writes APA author-date citations in parentheses with the year", () => {
    const r = createRenderer(items, cslFiles(), "apa", "html");
    expect(r.cite([{ entry: "lawson-2021", locator: "3", label: "page" }], 1)).toBe("(Lawson, 2021, p. 3)");
    expect(r.bibliography()[0]?.body).toContain("Lawson, T. (2021, September 12).");
    expect(r.cite([{ entry: "nobody", locator: "", label: "page" }], 2)).toContain(
      "unknown bibliography entry “nobody”",
    );
  });

  it("lists the entries of a document sorted by author", () => {
    const ydoc = new Y.Doc();
    for (const i of [...items].reverse()) setBibEntry(ydoc, i);
    expect(listBibliography(ydoc).map((i) => i.id)).toEqual(["lawson-2021", "ward-ir9"]);
  });
});

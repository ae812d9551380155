import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addCitation } from "../../schema/bibliography/citations.ts";
import type { CslItem } from "../../schema/bibliography/entries.ts";
import { setEditionStyle } from "../../schema/bibliography/styles.ts";
import { readingEdition } from "../../schema/html.ts";
import { exportLatex } from "../../schema/latex.ts";
import { printDocument } from "../../schema/print.ts";
import { exportTei } from "../../schema/tei.ts";
import { cslFiles } from "../../server/cslFiles.ts";
import { citingDoc } from "../helpers/citingDoc.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { EDITIONS } from "../helpers/paths.ts";

const assets = () => ({ css: "", js: "", csl: cslFiles() });
const fileOf = (files: { path: string; content: string }[], path: string) => {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} among ${files.map((x) => x.path).join(", ")}`);
  return f.content;
};

describe("the bibliography in the reading edition", () => {
  it("writes citations in notes in the edition's style, linked to a bibliography page that links back", () => {
    const files = readingEdition(citingDoc(), assets());
    const index = fileOf(files, "index.html");
    expect(index).toContain('<a href="bibliography.html">Bibliography</a>');
    // Chicago: the first citation of a work in full, with its locator.
    expect(index).toContain(
      '<a class="cite" href="bibliography.html#bib-lawson-2021">Tommy Lawson, “The Most Intransigent of Bolsheviks,” libcom.org, September 12, 2021, sec. 3.</a>',
    );
    expect(index).toContain(
      '<a class="cite" href="bibliography.html#bib-ward-ir9">C. D. Ward, “The Communist Left in Russia 1918-1930, Part 2,”',
    );
    const bib = fileOf(files, "bibliography.html");
    expect(bib).toContain('<li id="bib-lawson-2021" class="bib-entry"><p class="csl-entry">Lawson, Tommy.');
    expect(bib).toContain('<a href="index.html#note-1">note 1</a>');
    expect(bib).toContain('<a href="index.html#witnesses">witness A</a>');
    expect(bib).toContain("Chicago notes and bibliography");
  });

  it("follows the style the edition chose: APA puts author and year in parentheses", () => {
    const doc = citingDoc();
    setEditionStyle(doc, "apa");
    const index = fileOf(readingEdition(doc, assets()), "index.html");
    expect(index).toContain(
      '<a class="cite" href="bibliography.html#bib-lawson-2021">(Lawson, 2021, Section 3)</a>',
    );
    expect(() => setEditionStyle(doc, "harvard-unknown")).toThrow(/unknown citation style "harvard-unknown"/);
  });

  it("lists the Manifesto's sources, cited by its glossary entries and witnesses, and names no file of ours", () => {
    const files = readingEdition(manifestoDoc(), assets());
    const bib = fileOf(files, "bibliography.html");
    const items = JSON.parse(
      readFileSync(join(EDITIONS, "manifesto/bibliography.json"), "utf8"),
    ) as CslItem[];
    expect(items.map((i) => i.id).sort()).toEqual([
      "hebbes",
      "icc-ir142",
      "icc-levye-kommunisty",
      "icc-russian-communist-left",
      "lawson-2021",
      "pirani-review",
      "ward-ir9",
    ]);
    // Each entry under its own id, with its own title (Hebbes's in the plain form: the style has none).
    for (const item of items) {
      const li =
        new RegExp(`<li id="bib-${item.id}" class="bib-entry"><p class="csl-entry">(.*?)</p>`).exec(
          bib,
        )?.[1] ?? "";
      const words = (item.title ?? "").split(" ").slice(0, 3).join(" ").toLowerCase();
      expect(li.toLowerCase(), item.id).toContain(words);
    }
    expect(bib).toContain('<a href="glossary.html#gl-miasnikov">Gavril Miasnikov</a>');
    const glossary = fileOf(files, "glossary.html");
    expect(glossary).toMatch(
      /<p class="source">Sources: <a class="cite" href="bibliography.html#bib-icc-ir142">/,
    );
    const index = fileOf(files, "index.html");
    expect(index).toContain('href="bibliography.html#bib-icc-levye-kommunisty"');
    // An apparatus entry's sources show in its note.
    const doc = manifestoDoc();
    addCitation(
      doc,
      { kind: "apparatus", id: "app-ru-1" },
      { entry: "icc-levye-kommunisty", locator: "", label: "page" },
    );
    const withApp = fileOf(readingEdition(doc, assets()), "index.html");
    expect(withApp).toMatch(
      /id="pop-app-ru-1"[\s\S]*?<span class="source">Source: <a class="cite" href="bibliography.html#bib-icc-levye-kommunisty">/,
    );
    const tei = exportTei(manifestoDoc()).xml;
    for (const text of [...files.map((f) => f.content), tei])
      expect(text).not.toMatch(/\b[\w-]+\.(txt|json)\b|shared\/seeds|sources\//);
  });
});

describe("citations in the print edition", () => {
  it("writes a footnote's citations in the style, linked to the bibliography page", () => {
    const html = printDocument(citingDoc(), cslFiles());
    const data = JSON.parse(
      /<script id="data" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1] ?? "{}",
    ) as {
      notes: Record<string, string>;
    };
    expect(data.notes.n1).toBe(
      '1. See <a class="cite" href="bibliography.html#bib-lawson-2021">Tommy Lawson, “The Most Intransigent of Bolsheviks,” libcom.org, September 12, 2021, sec. 3.</a> and <a class="cite" href="bibliography.html#bib-ward-ir9">C. D. Ward, “The Communist Left in Russia 1918-1930, Part 2,” <i>International Review</i>, no. 9 (n.d.).</a>.',
    );
  });
});

describe("citations in the LaTeX export", () => {
  it("writes a footnote's citations in the style and the bibliography at the end", () => {
    const tex = exportLatex(citingDoc(), cslFiles());
    expect(tex).toContain(
      "\\footnoteA{See Tommy Lawson, “The Most Intransigent of Bolsheviks,” libcom.org, September 12, 2021, sec. 3.",
    );
    expect(tex).toContain("\\section*{Bibliography}");
    expect(tex).toMatch(
      /Ward, C\. D\. “The Communist Left in Russia 1918-1930, Part 2\.” \\emph\{International Review\}, no\. 9/,
    );
  });
});

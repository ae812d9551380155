import { DOMParser, type Element as XmlElement } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { readingEdition } from "../../schema/html.ts";
import {
  coverageMapSvg,
  coverageRows,
  densityBins,
  densityStripSvg,
  lanesOf,
  type StripMark,
  stripX,
  TYPE_COLOURS,
} from "../../schema/pictures.ts";
import { manifestoDoc } from "../helpers/edition.ts";

/** The SVG parsed as XML: it must be well-formed to be written into the HTML and printed. */
function parse(svg: string) {
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level, msg) => void (level !== "warning" && errors.push(msg)),
  }).parseFromString(svg, "image/svg+xml");
  expect(errors).toEqual([]);
  const all = (name: string) => Array.from(doc.getElementsByTagName(name)) as unknown as XmlElement[];
  return { root: doc.documentElement as unknown as XmlElement, all };
}

const mark = (id: string, type: StripMark["type"], at: number, lemma = id): StripMark => ({
  id,
  type,
  at,
  lemma,
});

describe("the pictures of where witnesses differ", () => {
  it("counts variants per stretch of the text, the end of the text in the last stretch", () => {
    expect(densityBins([0, 0.05, 0.1, 0.5, 0.99, 1], 10)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect(densityBins([], 4)).toEqual([0, 0, 0, 0]);
    // Out-of-range shares are clamped, never lost.
    expect(densityBins([-0.2, 1.7], 2)).toEqual([1, 1]);
    expect(() => densityBins([0.5], 0)).toThrow(/at least one bin, not 0/);
  });

  it("draws a strip: a bar per busy stretch as tall as its count, a named lane per type, a mark per entry", () => {
    const marks = [
      mark("app-1", "substantive", 0.1, "titanic"),
      mark("app-2", "substantive", 0.12),
      mark("app-3", "punctuation", 0.8, ","),
      mark("app-4", "omission", 0.81, ""),
    ];
    const { root, all } = parse(densityStripSvg("SYN", marks, { current: 2, bins: 10 }));
    expect(root.getAttribute("aria-label")).toBe("SYN's variants along the text: 4 variants");
    const bins = all("rect").filter((r) => r.getAttribute("class") === "bin");
    expect(bins.map((b) => [b.getAttribute("data-bin"), b.getAttribute("data-count")])).toEqual([
      ["1", "2"],
      ["8", "2"],
    ]);
    // Both stretches hold two: the same height.
    expect(bins[0]?.getAttribute("height")).toBe(bins[1]?.getAttribute("height"));
    // Types are lanes named in words, in the vocabulary's order: print in grey still tells them apart.
    expect(lanesOf(marks)).toEqual(["substantive", "omission", "punctuation"]);
    const laneLabels = all("text")
      .filter((t) => t.getAttribute("class") === "lane-label")
      .map((t) => t.textContent);
    expect(laneLabels).toEqual(["substantive", "omission", "punctuation"]);
    const ticks = all("rect").filter((r) => (r.getAttribute("class") ?? "").startsWith("tick"));
    expect(ticks.map((t) => t.getAttribute("data-app"))).toEqual(["app-1", "app-2", "app-3", "app-4"]);
    const laneY = (t: XmlElement | undefined) => Number(t?.getAttribute("y"));
    expect(laneY(ticks[0])).toBe(laneY(ticks[1]));
    expect(laneY(ticks[3])).toBeLessThan(laneY(ticks[2]) + 1); // omission's lane is above punctuation's
    expect(ticks[0]?.getAttribute("fill")).toBe(TYPE_COLOURS.substantive);
    // The current entry is outlined (a shape, not a colour) and says so in its title.
    expect(ticks[2]?.getAttribute("class")).toBe("tick type-punctuation current");
    expect(ticks[2]?.getAttribute("stroke")).toBe("#000000");
    expect(ticks[2]?.textContent).toBe("3: , (punctuation), current");
    expect(ticks[3]?.textContent).toBe("4: ^ (omission)");
    // Marks stand in order along the text.
    expect(Number(ticks[0]?.getAttribute("x"))).toBeLessThan(Number(ticks[2]?.getAttribute("x")));
    // The witness and the ends of the text are labelled in words.
    const words = all("text").map((t) => t.textContent);
    expect(words).toContain("SYN: 4 variants");
    expect(words).toContain("start of the text");
  });

  it("outlines the part of the text in view, dashed, when asked", () => {
    const { all } = parse(densityStripSvg("A", [mark("app-1", "addition", 0.5)], { here: [0.25, 0.5] }));
    const here = all("rect").find((r) => r.getAttribute("class") === "here");
    expect(Number(here?.getAttribute("x"))).toBeCloseTo(stripX(0.25), 0);
    expect(Number(here?.getAttribute("width"))).toBeCloseTo(stripX(0.5) - stripX(0.25), 0);
    expect(here?.getAttribute("stroke-dasharray")).toBe("3 2");
    expect(here?.textContent).toBe("the part of the text in view");
    expect(
      parse(densityStripSvg("A", [mark("app-1", "addition", 0.5)]))
        .all("rect")
        .some((r) => r.getAttribute("class") === "here"),
    ).toBe(false);
  });

  it("escapes what users typed, and links marks where a link is given", () => {
    const svg = densityStripSvg('A<"', [{ ...mark("app-9", "addition", 0.5, '<b> & "c"'), href: "#app-9" }], {
      binHref: () => "#p3",
    });
    const { all } = parse(svg);
    expect(all("a").map((a) => a.getAttribute("href"))).toEqual(["#p3", "#app-9"]);
    expect(all("title").at(-1)?.textContent).toBe('1: <b> & "c" (addition)');
  });

  it("maps coverage: full witnesses everywhere, partial ones where listed, readings alone as in part", () => {
    const blocks = ["p1", "p2", "p3", "p4"];
    const witnesses = [
      { siglum: "Q", coverage: "partial" as const, coveredBlocks: ["p2"], readingBlocks: ["p2", "p4"] },
      { siglum: "F", coverage: "full" as const, coveredBlocks: [] },
    ];
    expect(coverageRows(witnesses, blocks)).toEqual([
      { siglum: "Q", cells: ["lacks", "covered", "lacks", "partly"], covered: 1, partly: 1 },
      { siglum: "F", cells: ["covered", "covered", "covered", "covered"], covered: 4, partly: 0 },
    ]);
    const { all } = parse(coverageMapSvg(witnesses, blocks, (id) => `#${id}`));
    const cells = all("rect").filter((r) => (r.getAttribute("class") ?? "").startsWith("cover"));
    expect(
      cells.map(
        (c) =>
          `${c.getAttribute("data-witness")}:${c.getAttribute("data-block")}:${c.getAttribute("data-cover")}`,
      ),
    ).toEqual([
      "Q:p1:lacks",
      "Q:p2:covered",
      "Q:p3:lacks",
      "Q:p4:partly",
      "F:p1:covered",
      "F:p2:covered",
      "F:p3:covered",
      "F:p4:covered",
    ]);
    // Lacking is an empty outlined box, covered a filled one: not colour alone.
    expect(cells[0]?.getAttribute("fill")).toBe("#ffffff");
    expect(cells[0]?.getAttribute("stroke")).toBe("#8a8a8a");
    expect(cells[1]?.getAttribute("stroke")).toBeNull();
    expect(cells[0]?.textContent).toBe("Q, paragraph 1: not covered");
    // Each cell leads to its paragraph; rows and the legend are labelled in words.
    expect(all("a").map((a) => a.getAttribute("href"))).toEqual([...blocks, ...blocks].map((b) => `#${b}`));
    const words = all("text").map((t) => t.textContent);
    expect(words).toEqual(
      expect.arrayContaining(["Q 1 + 1 in part of 4 ¶", "F 4 of 4 ¶", "covers the paragraph", "lacks it"]),
    );
  });

  it("puts the pictures into the reading edition, every mark and cell a link to a place in the page", () => {
    const index = readingEdition(manifestoDoc(), { css: "", js: "" }).find((f) => f.path === "index.html")
      ?.content as string;
    const at = index.indexOf('<section id="pictures"');
    expect(at).toBeGreaterThan(0);
    const section = index.slice(at, index.indexOf("</section>", at));
    expect(index).toContain('<a href="#pictures">Where the witnesses differ</a>');
    // Q and RU have text; each has its strip; the map has a row for each.
    expect(section).toMatch(/aria-label="Q's variants along the text: \d+ variants?"/);
    expect(section).toMatch(/<figure class="picture" data-witness="RU">/);
    const svgs = section.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBe(3);
    for (const svg of svgs) parse(svg);
    // Every link in the pictures leads to an element of the page.
    const targets = [...section.matchAll(/<a href="#([^"]+)">/g)].map((m) => m[1] as string);
    expect(targets.length).toBeGreaterThan(50);
    for (const id of new Set(targets)) expect(index, `#${id}`).toContain(`id="${id}"`);
    // RU's readings stand in paragraphs the register does not list: those cells are "in part".
    expect(section).toMatch(/data-witness="RU" data-cover="partly"/);
    expect(section).toContain('data-app="app-ru-1"');
  });
});

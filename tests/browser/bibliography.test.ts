import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { caretAfter, openEditor } from "../helpers/editorPage.ts";
import { publish, withServerAndBrowser } from "../helpers/suite.ts";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const BIBTEX = `@article{carr-interregnum,
  author = {Carr, E. H.},
  title = {The Interregnum},
  year = {1954},
}
@book{broken, title = {Never closed, year = 2001
`;

describe("the bibliography panel", () => {
  const env = withServerAndBrowser();

  it("imports BibTeX (refusing a broken entry by name), cites an entry in a new footnote and as a glossary entry's source; the reading edition links both", async () => {
    const page = await openEditor(env.browser, env.server.url, "Ann", env.server.userToken("Ann", "editor"));
    await page.getByRole("tab", { name: "Bibliography" }).click();
    const panel = page.locator("#panel-bibliography");
    const message = panel.locator(".panel-message");
    // The Manifesto's sources are there from the seed.
    await expect.poll(() => panel.locator('.bib-entry[data-id="lawson-2021"]').count()).toBe(1);

    await panel.getByText("Import BibTeX or CSL-JSON").click();
    await panel.getByRole("textbox", { name: "BibTeX or CSL-JSON to import" }).fill(BIBTEX);
    await panel.getByRole("button", { name: "Import" }).click();
    await expect.poll(() => message.textContent()).toBe("imported 1 of 2 entries (bibtex)");
    expect(await panel.locator(".bib-import-report").textContent()).toMatch(
      /refused: BibTeX entry "broken" \(line 6\): its braces never close/,
    );

    // The imported entry is selected, its form open: an edit saved there reaches the shared entry.
    await panel.getByRole("textbox", { name: "Publisher" }).fill("Macmillan");
    await panel.getByRole("button", { name: "Save entry" }).click();
    await expect.poll(() => message.textContent()).toBe("saved carr-interregnum");
    expect(
      await page.evaluate(
        () =>
          (
            (window as unknown as { variorum: { ydoc: import("yjs").Doc } }).variorum.ydoc
              .getMap("bibliography")
              .toJSON() as Record<string, { publisher?: string }>
          )["carr-interregnum"]?.publisher,
      ),
    ).toBe("Macmillan");

    // Cite it at page 204 in a new footnote after the first words.
    await caretAfter(page, "Every conscious worker");
    await panel.getByRole("combobox", { name: "Locator kind" }).selectOption("page");
    await panel.getByRole("textbox", { name: "Locator" }).fill("204");
    await panel.getByRole("button", { name: "Cite in a footnote" }).click();
    await expect.poll(() => message.textContent()).toBe("cited in a new footnote at the cursor");
    const cited = await page.evaluate(() => {
      const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
        .variorum;
      const out: string[] = [];
      view.state.doc.descendants((n) => {
        for (const m of n.marks)
          if (m.type.name === "cite") out.push(`${n.text}|${m.attrs.entry}|${m.attrs.locator}`);
      });
      return out;
    });
    expect(cited).toEqual(["Carr 1954, p. 204|carr-interregnum|204"]);

    await panel.getByRole("combobox", { name: "What cites it" }).selectOption("glossary:gl-miasnikov");
    await panel.getByRole("button", { name: "Add as source" }).click();
    await expect
      .poll(() => message.textContent())
      .toBe("cited carr-interregnum as a source of glossary gl-miasnikov");
    await expect.poll(() => panel.locator(".bib-target-citations li").count()).toBe(3);

    // On the server: the bibliography page lists it, cited in the note and by the glossary entry.
    const reader = await env.browser.newPage();
    await expect
      .poll(
        async () => {
          const res = await env.server.get("/read/manifesto/bibliography.html", "reader");
          const html = await res.text();
          return /<li id="bib-carr-interregnum" class="bib-entry"><p class="csl-entry">Carr, E\. H\. <i>The Interregnum<\/i>\. 1954\.<\/p><p class="cited-in">Cited in: <a href="index\.html#[^"]+">note 1<\/a> · <a href="glossary\.html#gl-miasnikov">Gavril Miasnikov<\/a>/.test(
            html,
          );
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await reader.close();
    await page.context().close();
  });

  it("saves only the fields changed in the form: a colleague's field added meanwhile stays, and a name's particle and a dated range survive", async () => {
    const ann = await openEditor(env.browser, env.server.url, "Ann", env.server.userToken("Ann", "editor"));
    const bob = await openEditor(env.browser, env.server.url, "Bob", env.server.userToken("Bob", "editor"));
    type Win = { variorum: { ydoc: import("yjs").Doc } };
    // Bob writes an entry whose author has a particle and whose date is a circa range.
    await bob.evaluate(() => {
      const { ydoc } = (window as unknown as Win).variorum;
      const root = ydoc.getMap("bibliography");
      const YMap = root.constructor as new () => import("yjs").Map<unknown>;
      ydoc.transact(() => {
        const entry = new YMap();
        root.set("gogh-letters", entry);
        entry.set("type", "book");
        entry.set("title", "Letters");
        entry.set("author", [{ family: "Gogh", given: "Vincent", "non-dropping-particle": "van" }]);
        entry.set("issued", { "date-parts": [[1888], [1890]], circa: true });
      });
    });
    await ann.getByRole("tab", { name: "Bibliography" }).click();
    const panel = ann.locator("#panel-bibliography");
    await panel.locator('.bib-entry[data-id="gogh-letters"]').click();
    await expect.poll(() => panel.locator(".bib-editor h3").textContent()).toBe("gogh-letters");
    // Ann is typing in the form when Bob adds an ISBN and an editor to the entry.
    await panel.getByRole("textbox", { name: "Publisher" }).fill("Penguin");
    await bob.evaluate(() => {
      const { ydoc } = (window as unknown as Win).variorum;
      const entry = ydoc.getMap("bibliography").get("gogh-letters") as import("yjs").Map<unknown>;
      ydoc.transact(() => {
        entry.set("ISBN", "978-0-14-044674-8");
        entry.set("editor", [{ family: "Leeuw", given: "Ronald", "dropping-particle": "de" }]);
      });
    });
    const entryOf = (page: typeof ann) =>
      page.evaluate(
        () =>
          (window as unknown as Win).variorum.ydoc.getMap("bibliography").toJSON()["gogh-letters"] as Record<
            string,
            unknown
          >,
      );
    await expect.poll(async () => (await entryOf(ann)).ISBN).toBe("978-0-14-044674-8");
    await panel.getByRole("button", { name: "Save entry" }).click();
    await expect.poll(() => panel.locator(".panel-message").textContent()).toBe("saved gogh-letters");
    const expected = {
      type: "book",
      title: "Letters",
      publisher: "Penguin",
      ISBN: "978-0-14-044674-8",
      author: [{ family: "Gogh", given: "Vincent", "non-dropping-particle": "van" }],
      editor: [{ family: "Leeuw", given: "Ronald", "dropping-particle": "de" }],
      issued: { "date-parts": [[1888], [1890]], circa: true },
    };
    expect(await entryOf(ann)).toEqual(expected);
    // And so it reaches Bob.
    await expect.poll(async () => (await entryOf(bob)).publisher).toBe("Penguin");
    expect(await entryOf(bob)).toEqual(expected);
    await ann.context().close();
    await bob.context().close();
  });

  it("refuses to import or add an entry under the id of a stored entry that does not read as valid, and keeps that entry", async () => {
    const page = await openEditor(env.browser, env.server.url, "Ann", env.server.userToken("Ann", "editor"));
    type Win = { variorum: { ydoc: import("yjs").Doc } };
    const stored = () =>
      page.evaluate(
        () =>
          (window as unknown as Win).variorum.ydoc.getMap("bibliography").toJSON()["odd-entry"] as unknown,
      );
    // An entry whose type is no CSL type: it does not read as an item, but it is someone's work.
    await page.evaluate(() => {
      const { ydoc } = (window as unknown as Win).variorum;
      const root = ydoc.getMap("bibliography");
      const YMap = root.constructor as new () => import("yjs").Map<unknown>;
      ydoc.transact(() => {
        const entry = new YMap();
        root.set("odd-entry", entry);
        entry.set("type", "novel");
        entry.set("title", "Kept as written");
      });
    });
    const before = { type: "novel", title: "Kept as written" };
    expect(await stored()).toEqual(before);
    await page.getByRole("tab", { name: "Bibliography" }).click();
    const panel = page.locator("#panel-bibliography");
    const message = panel.locator(".panel-message");
    await panel.getByText("Import BibTeX or CSL-JSON").click();
    await panel
      .getByRole("textbox", { name: "BibTeX or CSL-JSON to import" })
      .fill("@book{odd-entry, title = {Another}, year = {1999}}");
    await panel.getByRole("button", { name: "Import" }).click();
    await expect.poll(() => message.textContent()).toBe("imported 0 of 1 entries (bibtex)");
    expect(await panel.locator(".bib-import-report").textContent()).toContain(
      'not imported: an entry "odd-entry" exists already',
    );
    await panel.getByRole("textbox", { name: "Id of a new entry" }).fill("odd-entry");
    await panel.getByRole("button", { name: "Add entry" }).click();
    await expect.poll(() => message.textContent()).toBe('an entry "odd-entry" exists already');
    expect(await stored()).toEqual(before);
    await page.context().close();
  });

  it("has a bibliography page that passes axe-core and fits a phone, each entry reached from the text's citations", async () => {
    await publish(env.server);
    for (const width of [1200, 390]) {
      const page = await env.browser.newPage({ viewport: { width, height: 900 }, bypassCSP: true });
      await page.goto(`${env.server.url}/read/manifesto/bibliography.html`);
      await page.addScriptTag({ content: axeSource });
      const result = (await page.evaluate(() =>
        (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({
          resultTypes: ["violations"],
        }),
      )) as { violations: { id: string; impact: string; nodes: unknown[] }[] };
      const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(
        serious.map((v) => `${v.id} (${v.nodes.length})`),
        `at ${width}px`,
      ).toEqual([]);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
      await page.close();
    }
    // Following a glossary entry's source leads to its entry on the page.
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/read/manifesto/glossary.html#gl-miasnikov`);
    await page.locator('#gl-miasnikov a.cite[href="bibliography.html#bib-lawson-2021"]').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#bib-lawson-2021");
    expect(await page.locator("#bib-lawson-2021 .csl-entry").textContent()).toMatch(/^Lawson, Tommy\. /);
    await page.close();
  });
});

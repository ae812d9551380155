import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fold } from "../../schema/search/fold.ts";
import { runVariorum } from "../helpers/cli.ts";
import { publish, withServerAndBrowser } from "../helpers/suite.ts";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The id of the first paragraph of the page whose folded text holds the folded phrase (read in the page). */
async function firstParagraphWith(page: Page, phrase: string): Promise<string> {
  const texts = await page.$$eval("#text p[id]", (ps) => ps.map((p) => [p.id, p.textContent ?? ""]));
  const found = texts.find(([, t]) => fold(t as string).includes(fold(phrase)));
  if (!found) throw new Error(`no paragraph holds "${phrase}"`);
  return found[0] as string;
}

describe("the reading edition's search", () => {
  const env = withServerAndBrowser();
  const dir = mkdtempSync(join(tmpdir(), "variorum-site-search-"));
  const site = join(dir, "site");
  beforeAll(() => publish(env.server));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const open = async (url: string): Promise<Page> => {
    const page = await env.browser.newPage({ viewport: { width: 1100, height: 800 } });
    page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
    await page.goto(url);
    return page;
  };
  const searchBox = (page: Page) => page.getByRole("combobox", { name: "Search the edition" });

  it("is exported with its index, and finds a phrase from disk: arrow down, Enter lands at the paragraph", async () => {
    const run = runVariorum(join(dir, "data"), "export", "html", "manifesto", site);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(site)).toEqual(expect.arrayContaining(["search-index.js", "reader-search.js"]));
    const page = await open(`file://${join(site, "index.html")}`);
    const expected = await firstParagraphWith(page, "soviet power");
    await searchBox(page).fill('"SOVIET power"');
    const options = page.getByRole("option");
    await expect.poll(() => options.count()).toBeGreaterThan(0);
    // The phrase is marked as the text spells it.
    expect(await options.first().locator("mark").first().textContent()).toBe("Soviet power");
    await searchBox(page).press("ArrowDown");
    expect(await searchBox(page).getAttribute("aria-activedescendant")).toBe(
      await options.first().getAttribute("id"),
    );
    await searchBox(page).press("Enter");
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#${expected}`);
    expect(page.url().startsWith("file://")).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(expected);
    expect(await page.locator(`[id="${expected}"]`).isVisible()).toBe(true);
    const inView = await page
      .locator(`[id="${expected}"]`)
      .evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().top < innerHeight);
    expect(inView).toBe(true);
    expect(await page.getByRole("listbox").isHidden()).toBe(true);
    await page.close();
  });

  it("finds Russian words whatever their case, among the variants, and walks results with the keys", async () => {
    const page = await open(`file://${join(site, "index.html")}`);
    await searchBox(page).fill("советская");
    const options = page.getByRole("option");
    await expect.poll(() => options.count()).toBeGreaterThan(0);
    const marks = await page.locator("#site-search-results mark").allTextContents();
    expect(marks).toContain("Советская");
    expect(await page.locator("#site-search-results .group-label").allTextContents()).toContain("Variants");
    // The open results pass axe-core: a combobox owning a listbox of named groups of options.
    await page.addScriptTag({ content: axeSource });
    const result = (await page.evaluate(() =>
      (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<unknown> } }).axe.run(
        { include: [".site-search"] },
        { resultTypes: ["violations"] },
      ),
    )) as { violations: { id: string; impact: string; nodes: unknown[] }[] };
    expect(result.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`)).toEqual([]);
    const first = await options.first().getAttribute("data-href");
    await searchBox(page).press("ArrowDown");
    await searchBox(page).press("Enter");
    const app = first?.split("#")[1] as string;
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#${app}`);
    // The variant's entry opens, showing the reading that was found.
    await expect.poll(() => page.locator(`[id="pop-${app}"]`).isVisible()).toBe(true);
    expect(await page.locator(`[id="pop-${app}"]`).innerText()).toContain("Советская");
    // Nothing matches a word the edition lacks; the status says so.
    await searchBox(page).fill("zzzyxq");
    await expect.poll(() => page.getByRole("status").last().textContent()).toBe("Nothing found.");
    await page.close();
  });

  it("goes from the glossary page to a glossary entry by a word's beginning, folding accents", async () => {
    const page = await open(`file://${join(site, "glossary.html")}`);
    await searchBox(page).fill("poinca");
    const glossaryHit = page.locator(
      '#site-search-results [role="option"][data-href="glossary.html#gl-poincare"]',
    );
    await expect.poll(() => glossaryHit.count()).toBe(1);
    expect(await glossaryHit.locator("mark").first().textContent()).toBe("Poincaré");
    await glossaryHit.click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#gl-poincare");
    await page.close();
  });

  it("works served by Variorum under its content security policy", async () => {
    const errors: string[] = [];
    const page = await env.browser.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(`${env.server.url}/read/manifesto/`);
    await searchBox(page).fill("kronstadt");
    // The results' options: the page's own <select>s have options too, which a bare role query also
    // finds, before the results are there (a CI run read the href of one of those: null).
    const results = page.getByRole("listbox", { name: "Search results" }).getByRole("option");
    await expect.poll(() => results.count()).toBeGreaterThan(0);
    const href = (await results.first().getAttribute("data-href")) as string;
    expect(href).toBeTruthy();
    await searchBox(page).press("ArrowDown");
    await searchBox(page).press("Enter");
    await expect
      .poll(() => page.url())
      .toBe(new URL(href, `${env.server.url}/read/manifesto/`).href.replace("/index.html#", "/#"));
    expect(errors).toEqual([]);
    await page.close();
  });
});

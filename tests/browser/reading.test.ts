import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readingEdition } from "../../schema/html.ts";
import { layOut } from "../../server/print.ts";
import { readerAssets } from "../../server/reader.ts";
import { launchChromium } from "../helpers/browser.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { publish, withServerAndBrowser } from "../helpers/suite.ts";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

describe("the reading edition", () => {
  const env = withServerAndBrowser();
  const dir = mkdtempSync(join(tmpdir(), "variorum-site-"));
  // Published, so that a reader needs no account.
  beforeAll(() => publish(env.server));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // axe-core is injected as an inline script, which the pages' strict CSP would (rightly) block.
  const open = async (width = 1200, bypassCSP = false): Promise<Page> => {
    const page = await env.browser.newPage({ viewport: { width, height: 900 }, bypassCSP });
    page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
    return page;
  };

  it("is one click from the start page", async () => {
    const page = await open();
    await page.goto(env.server.url);
    await page.getByRole("link", { name: "Read the edition" }).first().click();
    await page.waitForURL(/\/read\/manifesto\/$/);
    expect(await page.locator("h1").textContent()).toContain("Manifesto of the Workers' Group");
    await page.close();
  });

  it("previews the print edition under its strict policy: laid out, numbered, with its editorial report", async () => {
    const page = await open();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(`${env.server.url}/read/manifesto/print.html`);
    await page.waitForFunction(
      () => (window as unknown as { printReport?: unknown }).printReport !== undefined,
    );
    const report = await page.evaluate(
      () => (window as unknown as { printReport: { pages: number; apparatus: unknown[] } }).printReport,
    );
    expect(report.pages).toBeGreaterThan(3);
    expect(report.apparatus).toHaveLength(5);
    expect(await page.locator(".page .report").first().textContent()).toContain("No entry is left out.");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("opens footnotes and apparatus entries in place, from the keyboard too", async () => {
    const page = await open();
    await page.goto(`${env.server.url}/read/manifesto/`);
    const marker = page.getByRole("button", { name: /^Note 1 \(ICC \[7\]\)/ });
    await marker.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#pop-note-7").isVisible()).toBe(true);
    expect(await page.locator("#pop-note-7").innerText()).toContain(
      "This is the KAI (Communist Workers' International, 1921-22)",
    );
    await page.keyboard.press("Escape");
    await page
      .getByRole("button", {
        name: /^Variant \(lexical \/ translation choice\): In this … the Socialists\.\] The Socialists/,
      })
      .click();
    await expect.poll(() => page.locator("#pop-app-q-1").isVisible()).toBe(true);
    // The section's notes are listed at its end.
    expect(await page.locator("section.endnotes li#note-7").innerText()).toContain("This is the KAI");
    await page.close();
  });

  it("shows a glossary entry on hover and on focus, and the glossary page links back to each occurrence", async () => {
    const page = await open();
    await page.goto(`${env.server.url}/read/manifesto/`);
    const link = page.locator(".gl a", { hasText: "Poincaré" }).first();
    await link.focus();
    const card = page.locator(".gl:focus-within .card").first();
    expect(await card.isVisible()).toBe(true);
    expect(await card.textContent()).toContain("French statesman");
    await page.goto(`${env.server.url}/read/manifesto/glossary.html#gl-poincare`);
    const back = page.locator("#gl-poincare .mentions a");
    const inText = (readingEdition(manifestoDoc(), readerAssets())[0]?.content.match(/>Poincaré<\/a>/g) ?? [])
      .length;
    expect(inText).toBeGreaterThan(3);
    expect(await back.count()).toBe(inText);
    await back.first().click();
    await page.waitForURL(/index\.html#m-gl-poincare-1$/);
    expect(await page.locator(":target").textContent()).toContain("Poincaré");
    await page.close();
  });

  it("reads the text as another witness, with a partial witness's gaps shown as lacunae, and filters variant types", async () => {
    const page = await open();
    await page.goto(`${env.server.url}/read/manifesto/`);
    await page.getByRole("combobox", { name: "Read the text as" }).selectOption("RU");
    expect(await page.locator("#app-ru-2 .rdg[data-current]").textContent()).toMatch(/^Рабочий класс России/);
    expect(await page.locator("#app-ru-2 .lem").isVisible()).toBe(false);
    expect(await page.locator("#p1").getAttribute("class")).toContain("lacuna");
    await page.getByRole("combobox", { name: "Read the text as" }).selectOption("ICC");
    expect(await page.locator("#app-ru-2 .lem").isVisible()).toBe(true);
    expect(await page.locator("#p1").getAttribute("class")).not.toContain("lacuna");
    await page.getByRole("checkbox", { name: "lexical / translation choice" }).uncheck();
    expect(await page.locator("#app-q-1 > .app-marker").isVisible()).toBe(false);
    await page.close();
  });

  it("has stable permalinks for paragraphs, notes, entries and glossary entries, the same as the TEI ids", async () => {
    const page = await open();
    await page.goto(`${env.server.url}/read/manifesto/#p12`);
    expect(await page.locator(":target").getAttribute("id")).toBe("p12");
    const ids = await page.evaluate(() => [...document.querySelectorAll("[id]")].map((e) => e.id));
    const tei = await (await fetch(`${env.server.url}/api/editions/manifesto/tei`)).text();
    for (const id of ["p12", "note-7", "app-q-1", "app-ru-3", "h2"]) {
      expect(ids).toContain(id);
      expect(tei).toContain(`xml:id="${id}"`);
    }
    // A second export keeps them.
    const again =
      readingEdition(manifestoDoc(), readerAssets()).find((f) => f.path === "index.html")?.content ?? "";
    for (const id of ["p12", "note-7", "app-q-1"]) expect(again).toContain(`id="${id}"`);
    await page.close();
  });

  it("passes axe-core with no serious or critical violation, on a desktop and on a phone", async () => {
    for (const width of [1200, 390]) {
      const page = await open(width, true);
      for (const path of ["/read/manifesto/", "/read/manifesto/glossary.html"]) {
        await page.goto(`${env.server.url}${path}`);
        await page.addScriptTag({ content: axeSource });
        const result = (await page.evaluate(() =>
          (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({
            resultTypes: ["violations"],
          }),
        )) as { violations: { id: string; impact: string; nodes: unknown[] }[] };
        const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        expect(
          serious.map((v) => `${v.id} (${v.nodes.length})`),
          `${path} at ${width}px`,
        ).toEqual([]);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `horizontal overflow at ${width}px on ${path}`).toBeLessThanOrEqual(0);
      }
      await page.close();
    }
  });

  it("works as a static site with no Variorum running", async () => {
    for (const f of readingEdition(manifestoDoc(), readerAssets())) {
      writeFileSync(join(dir, f.path), f.content);
    }
    const page = await open();
    await page.goto(`file://${join(dir, "index.html")}`);
    await page.getByRole("combobox", { name: "Read the text as" }).selectOption("Q");
    expect(await page.locator("#app-q-1 .rdg[data-current]").textContent()).toMatch(
      /^The Socialists of all countries/,
    );
    await page.close();
  });
});

describe("the print edition", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("keys each apparatus entry to the numbered line where its lemma is typeset, measured in the rendered page", async () => {
    const page = await browser.newPage();
    const report = await layOut(page, manifestoDoc());
    expect(report.pages).toBeGreaterThan(3);
    expect(report.apparatus.length).toBe(5);
    const measured = await page.evaluate(() => {
      const out: { app: string; printed: string; numbered: string | null; foot: boolean }[] = [];
      for (const pageEl of document.querySelectorAll<HTMLElement>(".page")) {
        const win = pageEl.querySelector(".window") as HTMLElement;
        const top = win.getBoundingClientRect().top;
        const rows = [...pageEl.querySelectorAll<HTMLElement>(".numbers div")];
        for (const entry of pageEl.querySelectorAll<HTMLElement>(".foot .entry")) {
          const app = entry.dataset.app as string;
          const lemma = win.querySelector<HTMLElement>(`.lemma[data-app="${app}"]`) as HTMLElement;
          const rect = lemma.getClientRects()[0] ?? lemma.getBoundingClientRect();
          const row = Math.floor(((rect.top + rect.bottom) / 2 - top) / 18);
          out.push({
            app,
            printed: entry.querySelector(".num")?.textContent ?? "",
            numbered: rows[row]?.dataset.line ?? null,
            foot: rect.top >= top && rect.top < win.getBoundingClientRect().bottom,
          });
        }
      }
      return out;
    });
    expect(measured).toHaveLength(5);
    for (const m of measured) {
      expect(m.foot, `${m.app}: its lemma is on the page whose foot carries it`).toBe(true);
      expect(m.printed, m.app).toBe(m.numbered);
    }
    // The first line of text is 1, and every fifth numbered line shows its number in the margin.
    const margins = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>(".page .numbers div")]
        .filter((d) => d.dataset.line)
        .map((d) => ({ line: Number(d.dataset.line), shown: d.textContent?.trim() ?? "" })),
    );
    expect(margins[0]?.line).toBe(1);
    margins.forEach((m, i) => {
      expect(m.line).toBe(i + 1);
      expect(m.shown).toBe(m.line % 5 === 0 ? String(m.line) : "");
    });
    await page.close();
  });
});

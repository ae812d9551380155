import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { decide, readEntry } from "../../schema/apparatus.ts";
import { readingEdition } from "../../schema/html.ts";
import { ROOTS } from "../../schema/layout.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { readerAssets } from "../../server/reader.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { openEditor, selectText } from "../helpers/editorPage.ts";
import { publish, withServerAndBrowser } from "../helpers/suite.ts";
import { syntheticWitness, syntheticWitnessFile } from "../helpers/synthetic.ts";

/** The words selected in the editor, and the entry the apparatus panel has open. */
const where = (page: Page) =>
  page.evaluate(() => {
    const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
      .variorum;
    const { from, to } = view.state.selection;
    return {
      selected: view.state.doc.textBetween(from, to),
      open:
        document
          .querySelector('#panel-apparatus li[aria-current="true"] button[data-app]')
          ?.getAttribute("data-app") ?? null,
    };
  });

/** Whether the editor's caret (or selection's start) is within the window. */
const caretInView = (page: Page) =>
  page.evaluate(() => {
    const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
      .variorum;
    const { top } = view.coordsAtPos(view.state.selection.from);
    return top >= 0 && top < window.innerHeight;
  });

describe("the collation views of the workbench", () => {
  const env = withServerAndBrowser();
  const dir = mkdtempSync(join(tmpdir(), "variorum-views-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let ids: { titanic: string; civilised: string };

  beforeAll(async () => {
    // Test data, not a witness of the edition: two paragraphs of the ICC text with two scripted changes.
    const icc = witnessText(manifestoDoc(), "ICC");
    if (!icc.ok) throw new Error(icc.reason);
    const file = syntheticWitnessFile(icc.text, dir, "tests/browser/collation-views.test.ts");
    const api = `${env.server.url}/api/editions/manifesto/witnesses/SYN`;
    const headers = { authorization: `Bearer ${env.server.token("editor")}` };
    const imported = await fetch(`${api}?filename=synthetic.txt`, {
      method: "POST",
      headers,
      body: readFileSync(file),
    });
    expect(imported.status).toBe(201);
    // A second, with eighty scripted changes all along the text: collated, a table wider than the page.
    const long = await fetch(`${env.server.url}/api/editions/manifesto/witnesses/LONG?filename=long.txt`, {
      method: "POST",
      headers,
      body: `Title: Synthetic test witness, long\nPublication: none (made by the test from the ICC text)\nDate: 2026\nAddress: tests/browser/collation-views.test.ts\nCoverage: full\n---\n${syntheticWitness(icc.text, 7, 80).witness}\n`,
    });
    expect(long.status).toBe(201);
    for (const siglum of ["LONG", "SYN"]) {
      const collated = await fetch(`${env.server.url}/api/editions/manifesto/witnesses/${siglum}/collate`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: "{}",
      });
      expect(collated.status).toBe(200);
    }
    const live = (await env.server.documents.get("manifesto"))?.ydoc as Y.Doc;
    const all = [...live.getMap(ROOTS.apparatus).keys()].map((id) => readEntry(live, id));
    const idOf = (word: string) =>
      all.find((e) => e?.source === "collation" && e.recordedLemma === word && "SYN" in e.readings)
        ?.id as string;
    ids = { titanic: idOf("titanic"), civilised: idOf("civilised") };
    expect(ids.titanic).toMatch(/^app-syn-/);
    expect(ids.civilised).toMatch(/^app-syn-/);
  });

  it("goes to an entry from a mark of a witness's density strip, and from the coverage map to a paragraph", async () => {
    const page = await openEditor(env.browser, env.server.url, "Ed", env.server.userToken("Ed", "editor"));
    await page.getByRole("button", { name: "Variant pictures" }).click();
    const strip = page.locator('.collation-views .density[data-witness="SYN"] svg');
    await strip.waitFor();
    const ticks = strip.locator("rect.tick");
    expect(await ticks.count()).toBe(2);
    expect(await strip.locator("text.lane-label").allTextContents()).toEqual(["substantive", "orthographic"]);
    await ticks.nth(1).dispatchEvent("click");
    await expect.poll(() => where(page)).toEqual({ selected: "civilised", open: ids.civilised });
    // The strip redraws with that mark as the current one.
    await expect.poll(() => strip.locator("rect.tick.current").getAttribute("data-app")).toBe(ids.civilised);
    // From the keyboard too: a mark is a button.
    await ticks.nth(0).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => where(page)).toEqual({ selected: "titanic", open: ids.titanic });
    // The caret moved into another entry's lemma outlines that entry's mark, and only it.
    await selectText(page, "civilised");
    await page.evaluate(() => {
      const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
        .variorum;
      const Sel = view.state.selection.constructor as typeof import("prosemirror-state").TextSelection;
      view.dispatch(view.state.tr.setSelection(Sel.create(view.state.doc, view.state.selection.from + 3)));
    });
    await expect.poll(() => strip.locator("rect.tick.current").getAttribute("data-app")).toBe(ids.civilised);
    expect(await strip.locator("rect.tick.current").count()).toBe(1);
    // Another reviewer's decision on a reading changes nothing the pictures show: they are not drawn
    // again. A decision on an entry's type is drawn.
    const probe = () => strip.evaluate((el) => (el as unknown as { probe?: number }).probe ?? null);
    await strip.evaluate((el) => {
      (el as unknown as { probe: number }).probe = 1;
    });
    const open = (await env.server.documents.get("manifesto")) as NonNullable<
      Awaited<ReturnType<typeof env.server.documents.get>>
    >;
    const reviewer = { kind: "server" as const, reason: "a test's reviewer", user: "Rosa" };
    await open.transact(reviewer, (d) =>
      decide(d, ids.civilised, { status: "accepted", sigla: ["SYN"] }, "Rosa"),
    );
    const decided = (key: string) =>
      page.evaluate(
        (k) => (window as unknown as { variorum: { ydoc: Y.Doc } }).variorum.ydoc.getMap("decisions").has(k),
        key,
      );
    await expect.poll(() => decided(`${ids.civilised}/SYN`)).toBe(true);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
    expect(await probe()).toBe(1);
    await open.transact(reviewer, (d) => decide(d, ids.civilised, { type: "substantive" }, "Rosa"));
    await expect.poll(() => probe()).toBeNull();

    // A letter typed moves the marks by far less than a pixel: once typing pauses, nothing is drawn
    // again. A long passage moves them by many: they are drawn again, further along.
    await strip.evaluate((el) => {
      (el as unknown as { probe: number }).probe = 2;
    });
    const firstX = () =>
      strip
        .locator("rect.tick")
        .first()
        .evaluate((r) => Number(r.getAttribute("x")));
    const x0 = await firstX();
    const insertAtStart = (text: string) =>
      page.evaluate((t) => {
        const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
          .variorum;
        let at = -1;
        view.state.doc.descendants((node, pos) => {
          if (at < 0 && node.isTextblock) at = pos + 1;
          return at < 0;
        });
        view.dispatch(view.state.tr.insertText(t, at));
        return at;
      }, text);
    await insertAtStart("x");
    await page.waitForTimeout(1000);
    expect(await probe()).toBe(2);
    const passage = "word ".repeat(2000);
    const at = await insertAtStart(passage);
    await expect.poll(() => probe()).toBeNull();
    expect(await firstX()).toBeGreaterThan(x0 + 10);
    await page.evaluate(
      ({ from, length }) => {
        const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
          .variorum;
        view.dispatch(view.state.tr.delete(from, from + length));
      },
      { from: at, length: passage.length + 1 },
    );
    await expect.poll(firstX).toBe(x0);

    // A mark far down the text (RU's last) scrolls the text to its entry; the strips' dashed outline of
    // the part of the text in view follows.
    const hereX = () => strip.locator("rect.here").evaluate((r) => Number(r.getAttribute("x")));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(100);
    const hereBefore = await hereX();
    const ruTicks = page.locator('.collation-views .density[data-witness="RU"] rect.tick');
    const ruLast = (await ruTicks.last().getAttribute("data-app")) as string;
    await ruTicks.last().dispatchEvent("click");
    await expect.poll(async () => (await where(page)).open).toBe(ruLast);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
    expect(await caretInView(page)).toBe(true);
    await expect.poll(hereX).toBeGreaterThan(hereBefore + 100);

    // RU has readings in paragraphs, none listed whole: its cells there are drawn "in part".
    const map = page.locator(".collation-views .coverage svg");
    expect(await map.locator('rect.cover.partly[data-witness="RU"]').count()).toBeGreaterThan(0);
    const last = map.locator('rect.cover[data-witness="SYN"]').last();
    const block = (await last.getAttribute("data-block")) as string;
    await last.dispatchEvent("click");
    await expect
      .poll(() =>
        page.evaluate((id) => {
          const { view } = (
            window as unknown as { variorum: { view: import("prosemirror-view").EditorView } }
          ).variorum;
          return view.state.selection.$from.parent.attrs.id === id;
        }, block),
      )
      .toBe(true);
    await page.close();
  });

  it("shows every witness aligned in a table whose cells go to their entry, and which follows the text", async () => {
    const page = await openEditor(env.browser, env.server.url, "Ed", env.server.userToken("Ed", "editor"));
    const workers: string[] = [];
    page.on("worker", (w) => workers.push(new URL(w.url()).pathname));
    await page.getByRole("button", { name: "Alignment table" }).click();
    const table = page.locator(".collation-views table.alignment");
    await table.waitFor();
    // Collated off the page, which answers meanwhile.
    expect(workers).toContain("/assets/collate-worker.js");
    const rows = await table.locator("tbody th").allTextContents();
    expect(rows).toEqual(["ICC", "LONG", "Q", "RU", "SYN"]);
    // Variant cells are coloured and named by type.
    const syn = table.locator("tbody tr", { has: page.locator("th", { hasText: /^SYN$/ }) });
    const heroic = syn.locator("td", { hasText: /^heroic$/ });
    expect(await heroic.getAttribute("class")).toBe("v type-substantive");
    expect(await heroic.getAttribute("data-type")).toBe("substantive");
    await syn.locator("td", { hasText: /^civilized$/ }).click();
    await expect.poll(() => where(page)).toEqual({ selected: "civilised", open: ids.civilised });
    await heroic.click();
    await expect.poll(() => where(page)).toEqual({ selected: "titanic", open: ids.titanic });

    // Scrolling the text brings the columns of the paragraph at its top to the table's left edge.
    const inView = () => table.locator("thead th.in-view").first().getAttribute("data-start");
    const scroller = page.locator(".collation-views .alignment-scroll");
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(inView).not.toBeNull();
    const before = Number(await inView());
    const leftBefore = await scroller.evaluate((e) => e.scrollLeft);
    await page.evaluate(() => {
      const blocks = [...document.querySelectorAll<HTMLElement>(".ProseMirror [data-id]")];
      blocks.at(-8)?.scrollIntoView({ block: "start" });
    });
    await expect.poll(async () => Number(await inView())).toBeGreaterThan(before);
    expect(await scroller.evaluate((e) => e.scrollLeft)).toBeGreaterThan(leftBefore);
    await page.close();
  });

  it("draws the pictures into the reading edition, served and exported, each mark a link to its place", async () => {
    await publish(env.server);
    const exported = join(dir, "site");
    mkdirSync(exported);
    for (const f of readingEdition(manifestoDoc(), readerAssets()))
      writeFileSync(join(exported, f.path), f.content);
    for (const url of [`${env.server.url}/read/manifesto/`, `file://${join(exported, "index.html")}`]) {
      const page = await env.browser.newPage({ viewport: { width: 1200, height: 900 } });
      page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
      await page.goto(url);
      const section = page.locator("section#pictures");
      expect(await section.locator("h2").textContent()).toBe("Where the witnesses differ");
      expect(await section.locator("svg.density-strip").count()).toBeGreaterThanOrEqual(2);
      // A cell of RU's row on the coverage map leads to its paragraph, scrolled into view.
      const cell = section
        .locator('svg.coverage-map a:has(rect[data-witness="RU"][data-cover="partly"])')
        .first();
      const block = (await cell.locator("rect.cover").getAttribute("data-block")) as string;
      await cell.click();
      await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#${block}`);
      const inView = (id: string) =>
        page.evaluate((i) => {
          const r = document.getElementById(i)?.getBoundingClientRect();
          return r ? r.top < window.innerHeight && r.bottom > 0 : false;
        }, id);
      await expect.poll(() => inView(block)).toBe(true);
      // A mark of RU's strip leads to its entry in the text.
      await page.evaluate(() => document.getElementById("pictures")?.scrollIntoView());
      const tick = section.locator('svg.density-strip[data-witness="RU"] a:has(rect.tick)').first();
      const app = (await tick.locator("rect").getAttribute("data-app")) as string;
      await tick.click();
      await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#${app}`);
      await expect.poll(() => inView(app)).toBe(true);
      // In print the pictures keep their full width and their colours (their labels are in the SVG).
      await page.emulateMedia({ media: "print" });
      const printed = await section.locator("svg.coverage-map").evaluate((svg) => ({
        width: svg.getBoundingClientRect().width,
        colours: getComputedStyle(svg).printColorAdjust,
      }));
      expect(printed.width).toBeGreaterThan(500);
      expect(printed.colours).toBe("exact");
      await page.close();
    }
  });

  it("passes axe-core with no serious or critical violation with every view open", async () => {
    // CSP bypassed so that axe-core can be injected.
    const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${env.server.url}/login?token=${env.server.userToken("Rev", "reviewer")}`);
    await page.goto(`${env.server.url}/editions/manifesto`);
    await page.waitForSelector('#status[data-state="synced"]');
    await page.getByRole("button", { name: "Variant pictures" }).click();
    await page.getByRole("button", { name: "Alignment table" }).click();
    await page.locator(".collation-views table.alignment").waitFor();
    await page.getByRole("combobox", { name: "Witness to show beside the base" }).selectOption("RU");
    await page.locator(".beside-pane").waitFor();
    await page.addScriptTag({
      content: readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8"),
    });
    const result = (await page.evaluate(() =>
      (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<unknown> } }).axe.run(
        { include: [[".collation-views"], [".beside-pane"]] },
        { resultTypes: ["violations"] },
      ),
    )) as {
      violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
      passes: unknown[];
    };
    // The views were looked at: rules passed on them.
    expect(result.passes.length).toBeGreaterThan(5);
    const serious = result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(serious).toEqual([]);
    await context.close();
  });
});

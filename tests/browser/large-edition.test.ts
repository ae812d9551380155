import { rmSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { largeEdition } from "../../bench/largeEdition.ts";
import { openSqliteStore } from "../../server/store.ts";
import { witnessDocName } from "../../server/witnesses.ts";
import { launchChromium } from "../helpers/browser.ts";
import { caretAfter, openEditor, until } from "../helpers/editorPage.ts";
import { startTestServer, type TestServer, tempDir } from "../helpers/server.ts";

// Correctness at size: the benchmark's edition (1 M characters, 10,000 apparatus entries, 5,000 glossary
// links, 1,000 notes, 2,000 threads) opens in the workbench and takes an edit. No timing is asserted here:
// the figures are `npm run bench -- large`'s.
describe("the large edition in the workbench", () => {
  const edition = largeEdition();
  const dataDir = tempDir();
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    const store = openSqliteStore(dataDir);
    store.createEdition(
      { id: edition.id, title: "A large edition" },
      edition.id,
      Y.encodeStateAsUpdate(edition.doc),
    );
    for (const w of edition.witnesses)
      store.createDocument(witnessDocName(edition.id, w.siglum), Y.encodeStateAsUpdate(w.doc));
    store.close();
    server = await startTestServer({ dataDir });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("opens with its apparatus and comments panels drawing only the rows in view, opens a thread from its words far into the text, and an edit in the middle reaches the server", async () => {
    const token = server.userToken("Lea", "editor", edition.id);
    const page = await openEditor(browser, server.url, "Lea", token, edition.id);
    const shown = await page.evaluate(() => ({
      blocks: document.querySelectorAll(".ProseMirror > *").length,
      rows: document.querySelectorAll(".apparatus-list li.entry").length,
      characters: (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
        .variorum.view.state.doc.textContent.length,
    }));
    expect(shown.characters).toBeGreaterThan(950_000);
    expect(shown.blocks).toBeGreaterThan(2_000);
    // 10,000 entries, but only a window of them is drawn.
    expect(shown.rows).toBeGreaterThan(0);
    expect(shown.rows).toBeLessThan(500);
    // The rows drawn are those at the top of the side bar, in view.
    const apparatusInView = await page.evaluate(() => {
      const box = (document.querySelector(".side") as HTMLElement).getBoundingClientRect();
      return [...document.querySelectorAll(".apparatus-list li.entry")].filter((el) => {
        const r = el.getBoundingClientRect();
        return r.height > 0 && r.bottom > box.top && r.top < box.bottom;
      }).length;
    });
    expect(apparatusInView).toBeGreaterThan(0);
    // The open threads' words are marked in the text; their list is drawn once its tab is shown.
    const threadCount = () => page.locator(".threads article.thread").count();
    expect(await page.locator(".ProseMirror .commented").count()).toBeGreaterThan(100);
    expect(await threadCount()).toBe(0);
    await page.getByRole("tab", { name: "Comments" }).click();
    await until(async () => (await threadCount()) > 0, "the open threads to be listed");
    // About a thousand open threads, of which only a window is in the page; scrolling moves it.
    expect(await threadCount()).toBeLessThan(200);
    const firstDrawn = () => page.locator(".threads article.thread").first().getAttribute("data-thread");
    const top = await firstDrawn();
    await page.locator(".side").evaluate((side) => {
      side.scrollTop = side.scrollHeight;
    });
    await until(async () => (await firstDrawn()) !== top, "the window to follow the scroll");
    expect(await threadCount()).toBeLessThan(200);
    // Commented words far into the text open their thread, drawn and scrolled to in the list.
    const words = page.locator(".ProseMirror .commented").nth(400);
    const thread = await words.getAttribute("data-thread");
    await words.scrollIntoViewIfNeeded();
    await words.click();
    const article = page.locator(`.threads article[data-thread="${thread}"]`);
    await until(
      async () => (await article.count()) === 1 && (await article.isVisible()),
      "the thread opened",
    );
    // A tab shown after the side bar was scrolled on another draws the rows where it now stands.
    const rowsInView = (selector: string) =>
      page.evaluate((sel) => {
        const box = (document.querySelector(".side") as HTMLElement).getBoundingClientRect();
        return [...document.querySelectorAll(sel)].filter((el) => {
          const r = el.getBoundingClientRect();
          return r.height > 0 && r.bottom > box.top && r.top < box.bottom;
        }).length;
      }, selector);
    for (const [tab, rows] of [
      ["Notes", "#panel-notes .notes-list li"],
      ["Comments", ".threads article.thread"],
    ] as const) {
      await page.getByRole("tab", { name: "Apparatus" }).click();
      await page.locator(".side").evaluate((side) => {
        side.scrollTop = 20_000;
      });
      // The apparatus list follows the scroll too (it learns where the side bar stands from its events).
      await until(
        async () => (await rowsInView(".apparatus-list li.entry")) > 0,
        "apparatus rows where the side bar stands",
      );
      await page.getByRole("tab", { name: tab }).click();
      await until(async () => (await rowsInView(rows)) > 0, `${tab}: rows where the side bar stands`);
    }
    await page.getByRole("tab", { name: "Apparatus" }).click();

    // The 19th copy of the Manifesto's phrase is about the middle of the text.
    await caretAfter(page, "titanic struggle", 18);
    await page.keyboard.type(" Quillworth");
    const block = await page.evaluate(() => {
      const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
        .variorum;
      return view.state.selection.$head.parent.textContent;
    });
    expect(block).toContain("titanic struggle Quillworth");
    await page.waitForSelector('#status[data-state="synced"]', { timeout: 60_000 });

    // The server holds it: its search finds the word, in that paragraph.
    let hits: { kind: string; snippet: string }[] = [];
    await until(
      async () => {
        const res = await fetch(`${server.url}/api/editions/${edition.id}/search?q=Quillworth`, {
          headers: { authorization: `Bearer ${token}` },
        });
        hits = (await res.json()) as { kind: string; snippet: string }[];
        return hits.length > 0;
      },
      "the server's search to find the typed word",
      30_000,
    );
    expect(hits.map((h) => h.kind)).toEqual(["text"]);
    expect(hits[0]?.snippet).toContain("Quillworth");
    await page.context().close();
  }, 180_000);

  it("reviews a witness's variants at size: steps from one to the next, decides, and the decision is kept", async () => {
    const token = server.userToken("Rosa", "reviewer", edition.id);
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error(`page error (Rosa): ${e.message}`));
    await page.goto(`${server.url}/login?token=${encodeURIComponent(token)}`);
    const open = async () => {
      await page.goto(`${server.url}/editions/${edition.id}/review/WD`);
      await page.waitForSelector('#status[data-state="synced"]');
      const progress = page.locator("#progress");
      await until(async () => /reviewed \d+ of \d+/.test((await progress.textContent()) ?? ""), "the review");
      const [, reviewed, of] = ((await progress.textContent()) ?? "").match(/reviewed (\d+) of (\d+)/) ?? [];
      return { reviewed: Number(reviewed), of: Number(of) };
    };
    const before = await open();
    expect(before.of).toBeGreaterThan(1_000);
    const currentLine = () => page.locator("#current").textContent();
    const first = await currentLine();
    expect(first).toMatch(/^1 \/ /);
    for (let i = 0; i < 3; i++) await page.keyboard.press("j");
    await until(async () => /^4 \/ /.test((await currentLine()) ?? ""), "the fourth variant to be current");
    const current = page.locator("#columns .v.current").first();
    const app = await current.getAttribute("data-app");
    // The density strip outlines the current entry, and only it.
    expect(await page.locator("#density rect.tick.current").count()).toBe(1);
    expect(await page.locator("#density rect.tick.current").getAttribute("data-app")).toBe(app);
    const was = (await page.locator("#current [data-role=reading-status]").textContent()) ?? "";
    await page.keyboard.press(was === "accepted" ? "r" : "a");
    const now = was === "accepted" ? "rejected" : "accepted";
    await until(
      async () => ((await page.locator("#current [data-role=reading-status]").textContent()) ?? "") === now,
      "the decision shown",
    );
    expect(await page.locator(`#columns .v[data-app="${app}"]`).first().getAttribute("class")).toContain(
      `status-${now}`,
    );
    // Opened again, from the server: the decision is there.
    await page.waitForSelector('#status[data-state="synced"]');
    await new Promise((r) => setTimeout(r, 500));
    const after = await open();
    expect(after.of).toBe(before.of);
    expect(after.reviewed).toBe(before.reviewed + (was === "proposed" ? 1 : 0));
    for (let i = 0; i < 3; i++) await page.keyboard.press("j");
    await until(async () => /^4 \/ /.test((await currentLine()) ?? ""), "the fourth variant again");
    expect(await page.locator("#current [data-role=reading-status]").textContent()).toBe(now);
    await context.close();
  }, 180_000);
});

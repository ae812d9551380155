import { describe, expect, it } from "vitest";
import { caretAfter, selectText, until } from "../helpers/editorPage.ts";
import { makePng } from "../helpers/images.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";

describe("the scans beside a transcription", () => {
  const env = withServerAndBrowser();

  it("shows the page of the source the caret is on, from the transcription's page breaks", async () => {
    const token = env.server.userToken("Sam", "editor");
    const auth = { authorization: `Bearer ${token}` };
    const api = `${env.server.url}/api/editions/manifesto/witnesses/WD`;
    expect((await fetch(`${api}/transcription`, { method: "POST", headers: auth })).status).toBe(201);
    // Two page images made here, of two sizes (test data, not scans of the Dreadnought).
    for (const [w, hgt] of [
      [600, 800],
      [640, 820],
    ] as const)
      expect(
        (
          await fetch(`${api}/pages?filename=p.png`, {
            method: "POST",
            headers: auth,
            body: Buffer.from(makePng(w, hgt)),
          })
        ).status,
      ).toBe(201);

    const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${env.server.url}/login?token=${token}`);
    await page.goto(`${env.server.url}/editions/manifesto/witness/WD`);
    await page.waitForSelector('#status[data-state="synced"]');
    const stage = page.locator(".scan-stage");
    await until(async () => (await stage.getAttribute("data-page")) === "1", "the first page to show");
    expect(await page.locator(".scan-page").textContent()).toBe("page 1 of 2");
    await until(async () => (await stage.locator("canvas").count()) > 0, "OpenSeadragon to draw");

    const answers = ["1", "2"];
    page.on("dialog", (d) => void d.accept(answers.shift() ?? d.defaultValue()));
    await page.locator(".ProseMirror").click();
    await page.getByRole("button", { name: /^Page — Page break/ }).click();
    await page.keyboard.type("Words of the first page.");
    await page.getByRole("button", { name: /^Page — Page break/ }).click();
    await page.keyboard.type("Words of the second page.");
    await until(
      async () => (await stage.getAttribute("data-page")) === "2",
      "the second page to follow the caret",
    );
    await caretAfter(page, "Words of the first");
    await until(
      async () => (await stage.getAttribute("data-page")) === "1",
      "the first page to follow the caret back",
    );
    await context.close();
  });

  it("shares a zone drawn by one transcriber with another, and lights words and zone from either side", async () => {
    const api = `${env.server.url}/api/editions/manifesto/witnesses/Q`;
    const tokenA = env.server.userToken("Zoe", "editor");
    const tokenB = env.server.userToken("Yan", "editor");
    const auth = { authorization: `Bearer ${tokenA}` };
    await fetch(`${api}/transcription`, { method: "POST", headers: auth });
    await fetch(`${api}/pages?filename=q.png`, {
      method: "POST",
      headers: auth,
      body: Buffer.from(makePng(800, 600)),
    });
    const open = async (token: string) => {
      const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${env.server.url}/login?token=${token}`);
      await page.goto(`${env.server.url}/editions/manifesto/witness/Q`);
      await page.waitForSelector('#status[data-state="synced"]');
      await until(async () => (await page.locator(".scan-stage canvas").count()) > 0, "the scan");
      return page;
    };
    const a = await open(tokenA);
    const b = await open(tokenB);
    await a.locator(".ProseMirror").click();
    await a.keyboard.type("The Socialists of all countries");
    await a.waitForTimeout(300);
    await selectText(a, "Socialists");
    await a.getByRole("button", { name: "Draw a zone" }).click();
    const box = (await a.locator(".scan-stage").boundingBox()) as {
      x: number;
      y: number;
      width: number;
      height: number;
    };
    await a.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
    await a.mouse.down();
    await a.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.45, { steps: 5 });
    await a.mouse.up();
    await a.locator(".scan-stage .zone").first().waitFor({ timeout: 10_000 });

    // The other transcriber sees it, and the pointer on it lights its words in the text.
    const zoneB = b.locator(".scan-stage .zone").first();
    await zoneB.waitFor({ timeout: 10_000 });
    await zoneB.hover();
    await until(
      async () => (await b.locator(".ProseMirror .zone-lit").textContent()) === "Socialists",
      "the words to light up",
    );
    // And the pointer on the words lights the zone.
    await a.locator(".ProseMirror .zoned").first().hover();
    await until(async () => (await a.locator(".scan-stage .zone.lit").count()) === 1, "the zone to light up");
    await a.context().close();
    await b.context().close();
  });
});

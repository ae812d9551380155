import { describe, expect, it } from "vitest";
import { until } from "../helpers/editorPage.ts";
import { quotedPassages, renderNewspaperPage } from "../helpers/newspaper.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";

describe("Recognise this page, beside the scans", () => {
  const env = withServerAndBrowser();

  it("drafts the page for the editor who asks, shows the progress to a reviewer watching, and the editor accepts the draft", async () => {
    // A test page made here from the Q passages (never a scan of a source).
    const made = await renderNewspaperPage(quotedPassages());
    const editor = env.server.userToken("Ines", "editor");
    const reviewer = env.server.userToken("Rolf", "reviewer");
    const api = `${env.server.url}/api/editions/manifesto/witnesses/WD`;
    const auth = { authorization: `Bearer ${editor}` };
    expect((await fetch(`${api}/transcription`, { method: "POST", headers: auth })).status).toBe(201);
    expect(
      (
        await fetch(`${api}/pages?filename=p.png`, {
          method: "POST",
          headers: auth,
          body: Buffer.from(made.png),
        })
      ).status,
    ).toBe(201);

    const open = async (token: string, path = "/witness/WD") => {
      const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${env.server.url}/login?token=${token}`);
      await page.goto(`${env.server.url}/editions/manifesto${path}`);
      await page.waitForSelector('#status[data-state="synced"]');
      if (path) await until(async () => (await page.locator(".scan-stage canvas").count()) > 0, "the scan");
      return page;
    };
    const a = await open(editor);
    const b = await open(reviewer);
    // A third person, on the base text, is told of the job in the header.
    const c = await open(env.server.userToken("Cora", "editor"), "");
    expect(await b.getByRole("button", { name: "Recognise this page" }).count()).toBe(0);

    await a.getByRole("button", { name: "Recognise this page" }).click();
    // The reviewer follows it: a stage of the job, then its end.
    await until(
      async () =>
        /^OCR: page 1 of WD, \w+ \(\d+ %\), for Ines$/.test(
          (await c.locator(".ocr-notice").textContent()) ?? "",
        ),
      "the job in the base text's header",
    );
    expect(await c.locator(".ocr-notice").getAttribute("href")).toBe("/editions/manifesto/witness/WD");
    const statusB = b.locator(".ocr-status");
    await until(
      async () => /Page 1: .*asked by Ines/.test((await statusB.textContent()) ?? ""),
      "progress for the reviewer",
    );
    await until(
      async () => /^Page 1: OCR drafted \d+ words/.test((await statusB.textContent()) ?? ""),
      "the end of the job for the reviewer",
      120_000,
    );
    await until(
      async () => (await a.locator(".ProseMirror .ocr").count()) > 0,
      "the draft in the editor's text",
    );
    expect(await a.locator(".ProseMirror").textContent()).toContain("proletarian revolution");
    expect(await a.locator(".scan-stage .zone").count()).toBeGreaterThan(made.lines.length / 2);
    const wavy = await a.locator('.ProseMirror .unclear[data-reason="ocr-low-confidence"]').count();
    const statusA = (await a.locator(".ocr-status").textContent()) ?? "";
    const low = Number(/(\d+) read with low confidence/.exec(statusA)?.[1]);
    expect(wavy > 0).toBe(low > 0);

    // Accepting makes the words the transcription's: no OCR mark is left, for the reviewer too.
    await a.getByRole("button", { name: "Accept the draft of this page" }).click();
    await until(async () => (await a.locator(".ProseMirror .ocr").count()) === 0, "the draft to be accepted");
    await until(
      async () => (await b.locator(".ProseMirror .ocr").count()) === 0,
      "the acceptance to reach the reviewer",
    );
    expect(await b.locator('.ProseMirror .unclear[data-reason="ocr-low-confidence"]').count()).toBe(0);
    expect(await b.locator(".ProseMirror").textContent()).toContain("proletarian revolution");
    await until(
      async () => await c.locator(".ocr-notice").isHidden(),
      "the header's notice to go when the job ends",
    );
    await a.context().close();
    await b.context().close();
    await c.context().close();
  }, 180_000);
});

import { describe, expect, it } from "vitest";
import { caretAfter, until } from "../helpers/editorPage.ts";
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
    ])
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
});

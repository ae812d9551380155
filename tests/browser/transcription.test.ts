import { describe, expect, it } from "vitest";
import { until } from "../helpers/editorPage.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";

describe("the transcription page", () => {
  const env = withServerAndBrowser();

  it("says what it is for and which witness, gives a page to type on with only fitting controls, and leads back and on to collation", async () => {
    const token = env.server.userToken("Tess", "editor");
    const started = await fetch(`${env.server.url}/api/editions/manifesto/witnesses/WD/transcription`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(started.status).toBe(201);
    const { editor } = (await started.json()) as { editor: string };

    const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${env.server.url}/login?token=${token}`);
    await page.goto(`${env.server.url}${editor}`);
    await page.waitForSelector('#status[data-state="synced"]');

    expect(await page.getByRole("heading", { name: "Transcription of witness WD" }).count()).toBe(1);
    const intro = page.locator(".transcription-intro");
    await until(
      async () => ((await intro.textContent()) ?? "").includes("Workers' Dreadnought"),
      "the witness's description",
    );
    expect(await intro.textContent()).toMatch(/exactly as printed/);
    expect(await page.getByRole("link", { name: "← Back to the edition" }).getAttribute("href")).toBe(
      "/editions/manifesto",
    );
    // Only the controls that mean something on a witness's own text: no notes, variants or glossary links.
    const labels = await page
      .locator("#toolbar button")
      .evaluateAll((bs) => bs.map((b) => b.getAttribute("aria-label")));
    expect(labels.some((l) => /footnote|variant|glossary/i.test(l ?? ""))).toBe(false);
    const height = await page.locator(".ProseMirror").evaluate((el) => el.getBoundingClientRect().height);
    expect(height).toBeGreaterThan(300);

    // Typing works, and Collate turns the transcription into proposed entries to review.
    await page.locator(".ProseMirror").click();
    await page.keyboard.type("Every conscious worker has to ask himself");
    await page.getByRole("button", { name: "Collate with the base text" }).click();
    await page.getByRole("link", { name: "Review side by side" }).nth(1).waitFor({ timeout: 15_000 });
    expect(await page.locator(".transcription-intro [role=status]").textContent()).toMatch(
      /proposed entries; nothing is accepted until a person reviews it/,
    );
    await context.close();
  });
});

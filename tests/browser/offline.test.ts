import { rmSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser.ts";
import { caretAfter, openEditor } from "../helpers/editorPage.ts";
import { nodeClient, startTestServer, synced, type TestServer, tempDir } from "../helpers/server.ts";

describe("working through a lost connection", () => {
  let browser: Browser;
  const dataDir = tempDir();
  let server: TestServer | null = null;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("shows offline with the count of unsynced edits, keeps them, and sends them when the server is back", async () => {
    server = await startTestServer({ dataDir });
    const port = server.port;
    const token = server.userToken("Olga", "editor");
    const page = await openEditor(browser, server.url, "Olga", token);
    await server.close();
    await page.waitForSelector('#status[data-state="offline"]');
    await caretAfter(page, "Every conscious worker");
    await page.keyboard.type(" OFFLINE");
    await expect
      .poll(() => page.locator("#status").textContent())
      .toMatch(/^offline — \d+ unsynced edits? kept$/);

    server = await startTestServer({ dataDir, port });
    await page.waitForSelector('#status[data-state="synced"]', { timeout: 30_000 });
    const other = nodeClient(server.wsUrl, "manifesto", { token: server.token("reader") });
    await synced(other.provider);
    const first = other.doc.getXmlFragment("body").get(1)?.toString() ?? "";
    expect(first).toContain("Every conscious worker OFFLINE,");
    other.provider.destroy();
    await page.close();
  });
});

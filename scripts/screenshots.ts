/**
 * Regenerates the README's screenshots (docs/screenshots/) from a fresh store: the workbench, the
 * side-by-side review, the reading edition and a page of the PDF. Needs Debian's chromium, and
 * poppler-utils (pdftoppm) for the PDF page. Run: npx tsx scripts/screenshots.ts
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { copyDoc } from "../schema/layout.ts";
import { memoryLog } from "../server/log.ts";
import { renderPdf } from "../server/print.ts";
import { startServer } from "../server/server.ts";

const root = join(import.meta.dirname, "..");
const out = join(root, "docs/screenshots");
const data = mkdtempSync(join(tmpdir(), "variorum-shots-"));
const server = await startServer({
  port: 0,
  dataDir: data,
  editionsDir: join(root, "editions"),
  clientDir: join(root, "dist/client"),
  log: memoryLog(),
});
const { token } = await server.auth.addUserWithToken("Anna Editor", "manifesto", "owner");
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`${server.url}/login?token=${token}`);
  await page.goto(`${server.url}/editions/manifesto`);
  await page.waitForSelector('#status[data-state="synced"]');
  await page.locator('.entry-line[data-app="app-ru-2"]').click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(out, "workbench.png") });

  await page.goto(`${server.url}/editions/manifesto/review/RU`);
  await page.locator(".v.current").first().waitFor();
  await page.keyboard.press("j");
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, "review.png") });

  await fetch(`${server.url}/api/editions/manifesto/publish`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: "{}",
  });
  const reader = await browser.newPage({ viewport: { width: 1000, height: 860 } });
  await reader.goto(`${server.url}/read/manifesto/#p17`);
  await reader.locator('button[popovertarget="pop-app-q-1"]').scrollIntoViewIfNeeded();
  await reader.locator('button[popovertarget="pop-app-q-1"]').click();
  await reader.waitForTimeout(300);
  await reader.screenshot({ path: join(out, "reading-edition.png") });

  const pdf = join(data, "manifesto.pdf");
  const doc = await server.documents.get("manifesto");
  if (!doc) throw new Error("no document");
  await renderPdf(copyDoc(doc.ydoc), pdf);
  execFileSync("pdftoppm", ["-f", "2", "-l", "2", "-r", "80", "-png", pdf, join(data, "page")]);
  renameSync(join(data, "page-2.png"), join(out, "pdf-page.png"));
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await server.close();
  rmSync(data, { recursive: true, force: true });
}

/**
 * Rendering the print edition to PDF through Debian's Chromium (playwright-core, never a downloaded
 * browser). The page lays itself out (schema/print.ts); this waits for it and prints it.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import type * as Y from "yjs";
import { printDocument } from "../schema/print.ts";
import { cslFiles } from "./cslFiles.ts";

export interface PrintReport {
  pages: number;
  lines: number;
  /** Each printed entry: the number of its lemma's line (null in a heading or note), its printed key, its page. */
  apparatus: { app: string; line: number | null; key: string; page: number }[];
}

export const CHROMIUM = process.env.VARIORUM_CHROMIUM ?? "/usr/bin/chromium";

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Loads the print edition into a page and waits for its layout; returns what it laid out. */
export async function layOut(page: Page, doc: Y.Doc): Promise<PrintReport> {
  await page.setContent(printDocument(doc, cslFiles()), { waitUntil: "load" });
  await page.waitForFunction(
    () => (window as unknown as { printReport?: unknown }).printReport !== undefined,
  );
  return page.evaluate(() => (window as unknown as { printReport: PrintReport }).printReport);
}

export async function renderPdf(
  doc: Y.Doc,
  file: string,
): Promise<{ pages: number; lines: number; apparatus: number }> {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const report = await layOut(page, doc);
    await page.pdf({
      path: file,
      width: "794px",
      height: "1123px",
      printBackground: true,
      preferCSSPageSize: true,
    });
    return { pages: report.pages, lines: report.lines, apparatus: report.apparatus.length };
  } finally {
    await browser.close();
  }
}

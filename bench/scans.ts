/**
 * A witness of 40 page images of 3000×4000 pixels (`npm run bench -- scans`): how soon the transcription
 * page's viewer shows the first page, and how soon its full-resolution image is drawn, on loopback,
 * against the same JPEG shown by a plain <img> from a bare Node static server in the same run; and the
 * server's memory while 40 pages are fetched at once. The pages are made here: the ICC text set as book
 * pages in Chromium at 4 device pixels per CSS pixel and saved as JPEG (test images, not scans).
 */

import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Browser, Page } from "playwright-core";
import { memoryLog } from "../server/log.ts";
import { startServer } from "../server/server.ts";
import { launchChromium } from "../tests/helpers/browser.ts";
import { EDITIONS, ICC_SOURCE } from "../tests/helpers/paths.ts";

const PAGES = Number(process.env.SCANS_PAGES ?? 40);
const ROUNDS = 3;
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** Page images of the ICC text, 750×1000 CSS pixels at scale 4: 3000×4000 JPEGs. */
async function makePages(browser: Browser, n: number): Promise<Buffer[]> {
  const { readFileSync } = await import("node:fs");
  const words = readFileSync(ICC_SOURCE, "utf8").replace(/\s+/g, " ").split(" ");
  const page = await browser.newPage({ viewport: { width: 750, height: 1000 }, deviceScaleFactor: 4 });
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const text = words
      .slice((i * 380) % Math.max(1, words.length - 400), ((i * 380) % Math.max(1, words.length - 400)) + 380)
      .join(" ");
    await page.setContent(
      `<body style="margin:0;background:#f3efe4"><div style="padding:60px 70px;font:17px/1.55 'DejaVu Serif',serif;text-align:justify;columns:2;column-gap:30px">${text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</div><div style="position:absolute;bottom:30px;width:100%;text-align:center;font:14px serif">${i + 1}</div></body>`,
    );
    out.push(await page.screenshot({ type: "jpeg", quality: 85 }));
  }
  await page.close();
  return out;
}

/** Milliseconds until the viewer shows a page, and until the first page's image has arrived and been drawn. */
async function openViewer(page: Page, url: string): Promise<{ shown: number; sharp: number }> {
  const start = performance.now();
  const image = page.waitForEvent("requestfinished", {
    predicate: (r) => /\/1\/full\/max\/0\/default\./.test(r.url()),
    timeout: 120_000,
  });
  await page.goto(url);
  await page.waitForFunction(
    () => document.querySelector(".scan-stage")?.getAttribute("data-page") === "1",
    null,
    { timeout: 120_000 },
  );
  const shown = performance.now() - start;
  await image;
  await page.waitForFunction(
    () => (document.querySelector(".scan-stage canvas") as HTMLCanvasElement | null)?.width,
    null,
    { timeout: 120_000 },
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return { shown, sharp: performance.now() - start };
}

/** The same JPEG in a plain <img> from a bare static server: until it is loaded and decoded. */
async function plainImage(page: Page, url: string): Promise<number> {
  const start = performance.now();
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const img = document.querySelector("img");
      return !!img && img.complete && img.naturalWidth > 0;
    },
    null,
    { timeout: 120_000, polling: "raf" },
  );
  await page.evaluate(() => (document.querySelector("img") as HTMLImageElement).decode());
  return performance.now() - start;
}

export async function benchScans(): Promise<void> {
  console.log(
    `\nScans: a witness of ${PAGES} page images of 3000×4000 pixels, on loopback (median of ${ROUNDS})`,
  );
  const browser = await launchChromium();
  const data = mkdtempSync(join(tmpdir(), "variorum-bench-scans-"));
  const bare = createServer();
  try {
    const t0 = performance.now();
    const jpegs = await makePages(browser, PAGES);
    console.log(
      `  made ${PAGES} pages in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${mb(jpegs.reduce((n, j) => n + j.length, 0))} in all`,
    );
    const server = await startServer({
      port: 0,
      dataDir: data,
      editionsDir: EDITIONS,
      clientDir: join(import.meta.dirname, "../dist/client"),
      log: memoryLog(),
      rateLimits: { connectionsPerMinute: 100_000 },
    });
    const { token } = await server.auth.addUserWithToken("bench", "manifesto", "editor");
    const auth = { authorization: `Bearer ${token}` };
    const api = `${server.url}/api/editions/manifesto/witnesses/WD`;
    await fetch(`${api}/transcription`, { method: "POST", headers: auth });
    for (const j of jpegs) {
      const res = await fetch(`${api}/pages?filename=page.jpg`, {
        method: "POST",
        headers: auth,
        body: new Uint8Array(j),
      });
      if (res.status !== 201) throw new Error(`page upload refused: ${res.status} ${await res.text()}`);
    }
    bare.on("request", (_req, res) => {
      if (_req.url === "/") res.end('<!doctype html><img src="/page.jpg" alt="">');
      else res.writeHead(200, { "content-type": "image/jpeg" }).end(jpegs[0] as Buffer);
    });
    await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
    const bareUrl = `http://127.0.0.1:${(bare.address() as { port: number }).port}/`;

    const shown: number[] = [];
    const sharp: number[] = [];
    const plain: number[] = [];
    for (let r = 0; r <= ROUNDS; r++) {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const p = await ctx.newPage();
      await p.goto(`${server.url}/login?token=${token}`);
      const o = await openViewer(p, `${server.url}/editions/manifesto/witness/WD`);
      await ctx.close();
      const ctx2 = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const b = await plainImage(await ctx2.newPage(), bareUrl);
      await ctx2.close();
      if (r === 0) continue; // warms the disk cache and the server
      shown.push(o.shown);
      sharp.push(o.sharp);
      plain.push(b);
    }
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    console.log("| figure | Variorum | bare (plain <img>, static server) | ratio |\n|---|---|---|---|");
    console.log(`| transcription page open → first page shown | ${median(shown).toFixed(0)} ms | — | — |`);
    console.log(
      `| → its full 3000×4000 image drawn | ${median(sharp).toFixed(0)} ms | ${median(plain).toFixed(0)} ms | ${ratio(median(sharp), median(plain))} |`,
    );

    gc();
    const before = process.memoryUsage();
    // Heap and buffers (a page's bytes are read whole before they are sent): RSS keeps what it had.
    const used = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;
    let peak = used(before);
    const timer = setInterval(() => {
      peak = Math.max(peak, used(process.memoryUsage()));
    }, 2);
    const t1 = performance.now();
    const sizes = await Promise.all(
      Array.from({ length: PAGES }, (_, i) =>
        fetch(`${server.url}/iiif/manifesto/WD/${i + 1}/full/max/0/default.jpg`, { headers: auth }).then(
          async (r) => (await r.arrayBuffer()).byteLength,
        ),
      ),
    );
    const allMs = performance.now() - t1;
    clearInterval(timer);
    console.log(
      `| all ${PAGES} pages fetched at once | ${allMs.toFixed(0)} ms, ${mb(sizes.reduce((a, b) => a + b, 0))} | — | — |`,
    );
    console.log(
      `| server memory while serving them (peak heap + buffers above idle) | ${mb(peak - used(before))} | — | — |`,
    );
    await server.close();
  } finally {
    bare.close();
    await browser.close();
    rmSync(data, { recursive: true, force: true });
  }
}

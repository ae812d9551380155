import { readFileSync } from "node:fs";
import { launchChromium } from "./browser.ts";
import { EXCERPTS } from "./paths.ts";

/**
 * The older English wording of the Manifesto as C. D. Ward's article quotes it (sources/excerpts.txt,
 * section C, quotations C1 and C2), copied as the file has it: the known text that the test pages show.
 */
export function quotedPassages(): string[] {
  const text = readFileSync(EXCERPTS, "utf8");
  const section = text.slice(text.indexOf("SECTION C"), text.indexOf("SECTION D"));
  return ["C1", "C2"].map((label) => {
    const m = new RegExp(`^${label} \\([^\\n]*\\):\\n([^\\n]+)$`, "m").exec(section);
    if (!m?.[1]) throw new Error(`quotation ${label} not found in ${EXCERPTS}`);
    return m[1];
  });
}

export interface TestPage {
  png: Uint8Array;
  width: number;
  height: number;
  /**
   * Each printed line, the headline first, then the left column and the right, top to bottom, as the
   * browser laid them out: its words and where it is on the page (pixels).
   */
  lines: { text: string; box: { x: number; y: number; w: number; h: number } }[];
}

/**
 * A test page made here, never a scan of a source: the passages set in two justified newspaper columns
 * by Chromium, then degraded as a scan is — half a degree of skew, a slight blur, speckle (a seeded
 * pseudo-random generator, so every run makes the same page) — and screenshot as a PNG.
 */
export async function renderNewspaperPage(
  passages: string[],
  o: {
    seed?: number;
    skewDeg?: number;
    blurPx?: number;
    specks?: number;
    scale?: number;
    /** The headline across the columns (the Manifesto's English title); null for none. */
    headline?: string | null;
  } = {},
): Promise<TestPage> {
  // `scale`: device pixels per CSS pixel, for a page scanned at a higher resolution (2: 3200×2000).
  const { seed = 1923, skewDeg = 0.5, blurPx = 0.6, specks = 2500, scale = 1 } = o;
  const headline = o.headline === undefined ? "MANIFESTO OF THE WORKERS’ GROUP" : o.headline;
  const width = 1600;
  const height = 1000;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: scale });
    const paragraphs = passages.map((p) => `<p>${p.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</p>`);
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>
html, body { margin: 0; background: #f4f1ea; }
#sheet { position: absolute; left: 70px; top: 60px; width: ${width - 140}px; height: ${height - 120}px;
  transform: rotate(${skewDeg}deg); transform-origin: 50% 50%; filter: blur(${blurPx}px); }
h1 { font: bold 40px "DejaVu Serif", serif; text-align: center; margin: 0 0 24px; color: #1a1a1a; }
#columns { column-count: 2; column-gap: 60px; font: 21px/1.45 "DejaVu Serif", serif; color: #1d1d1d;
  text-align: justify; hyphens: none; }
p { margin: 0 0 14px; text-indent: 28px; }
canvas { position: absolute; left: 0; top: 0; pointer-events: none; }
</style></head><body><div id="sheet">${headline ? `<h1>${headline}</h1>` : ""}<div id="columns">${paragraphs.join("")}</div></div>
<canvas id="noise" width="${width}" height="${height}"></canvas></body></html>`);
    await page.evaluate(() => document.fonts.ready);
    // Run in the page as source text: a bundler's helpers (esbuild's __name) do not exist there.
    const lines = (await page.evaluate(READ_LINES)) as TestPage["lines"];
    await page.evaluate(`(${SPECKLE})(${seed}, ${specks})`);
    const png = new Uint8Array(await page.screenshot({ type: "png", fullPage: false }));
    const px = (b: TestPage["lines"][number]["box"]) => ({
      x: b.x * scale,
      y: b.y * scale,
      w: b.w * scale,
      h: b.h * scale,
    });
    return {
      png,
      width: width * scale,
      height: height * scale,
      lines: lines.map((l) => ({ ...l, box: px(l.box) })),
    };
  } finally {
    await browser.close();
  }
}

/** The printed lines, read from the layout: each run of words at one height in one column. */
const READ_LINES = `(() => {
  const out = [];
  const range = document.createRange();
  const cols = document.getElementById("columns");
  const box = cols.getBoundingClientRect();
  const mid = box.left + box.width / 2;
  const words = (el, col) => {
    const node = el.firstChild;
    const re = /\\S+/g;
    for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const r = range.getBoundingClientRect();
      const c = col ?? (r.left < mid ? 0 : 1);
      const last = out[out.length - 1];
      if (last && last.col === c && Math.abs(last.top - r.top) < 8) {
        last.words.push(m[0]);
        last.x0 = Math.min(last.x0, r.left); last.y0 = Math.min(last.y0, r.top);
        last.x1 = Math.max(last.x1, r.right); last.y1 = Math.max(last.y1, r.bottom);
      } else out.push({ col: c, top: r.top, words: [m[0]], x0: r.left, y0: r.top, x1: r.right, y1: r.bottom });
    }
  };
  const h1 = document.querySelector("h1");
  if (h1) words(h1, -1);
  for (const p of cols.querySelectorAll("p")) words(p, null);
  return out.map((l) => ({ text: l.words.join(" "), box: { x: l.x0, y: l.y0, w: l.x1 - l.x0, h: l.y1 - l.y0 } }));
})()`;

/** Speckle and the paper's unevenness, drawn over the page with a seeded generator (mulberry32). */
const SPECKLE = `function (seed, specks) {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const canvas = document.getElementById("noise");
  const g = canvas.getContext("2d");
  for (let i = 0; i < specks; i++) {
    const dark = rand() < 0.7;
    g.fillStyle = dark ? "rgba(20,20,20," + (0.4 + rand() * 0.5) + ")" : "rgba(250,248,240,0.9)";
    g.beginPath();
    g.arc(rand() * canvas.width, rand() * canvas.height, 0.6 + rand() * 1.4, 0, Math.PI * 2);
    g.fill();
  }
  const grad = g.createLinearGradient(0, 0, canvas.width, canvas.height);
  grad.addColorStop(0, "rgba(120,100,60,0.08)");
  grad.addColorStop(1, "rgba(120,100,60,0)");
  g.fillStyle = grad;
  g.fillRect(0, 0, canvas.width, canvas.height);
}`;

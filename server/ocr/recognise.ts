/**
 * Reading one page image: cleaned (clean.ts), read by Tesseract (tesseract.ts), its TSV parsed
 * (schema/ocrResult.ts) and every box mapped back onto the page image as stored, so that zones drawn
 * from them sit on the image the viewer shows.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type OcrPage, parseTesseractTsv } from "../../schema/ocrResult.ts";
import { cleanImage, toOriginal } from "./clean.ts";
import { type OcrLanguage, tesseractTsv } from "./tesseract.ts";

export interface Recognised {
  page: OcrPage;
  /** Seconds spent cleaning and reading. */
  seconds: number;
  angle: number;
}

/** Reads a page image; `step` is told as each stage begins. */
export async function recognisePage(
  bytes: Uint8Array,
  size: { width: number; height: number },
  lang: OcrLanguage,
  step: (stage: "cleaning" | "reading") => void = () => {},
): Promise<Recognised> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "variorum-ocr-"));
  try {
    const input = join(dir, "page");
    const cleaned = join(dir, "clean.png");
    writeFileSync(input, bytes);
    step("cleaning");
    const t = await cleanImage(input, cleaned, size);
    step("reading");
    const read = parseTesseractTsv(await tesseractTsv(cleaned, lang));
    const on = { width: read.width, height: read.height };
    const page: OcrPage = {
      width: size.width,
      height: size.height,
      paragraphs: read.paragraphs.map((p) => ({
        lines: p.lines.map((l) => ({
          box: toOriginal(l.box, t, on),
          words: l.words.map((w) => ({ ...w, box: toOriginal(w.box, t, on) })),
        })),
      })),
    };
    return { page, seconds: (performance.now() - started) / 1000, angle: t.angle };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

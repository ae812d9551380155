/**
 * OCR seconds per page (`npm run bench -- ocr`): the product's reading of a page (cleaning, then
 * Tesseract, then parsing) against plain Tesseract on the same page image, same run, and the character
 * error rate of each against the known text. The pages are made here from the Q passages
 * (tests/helpers/newspaper.ts), at screen resolution and at twice it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pageText, parseTesseractTsv } from "../schema/ocrResult.ts";
import { recognisePage } from "../server/ocr/recognise.ts";
import { tesseractTsv } from "../server/ocr/tesseract.ts";
import { characterErrorRate } from "../tests/helpers/cer.ts";
import { quotedPassages, renderNewspaperPage } from "../tests/helpers/newspaper.ts";

const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function benchOcr(): Promise<void> {
  console.log("\nOCR of a page (median of 3): the product (clean + read) against plain Tesseract");
  console.log("| page | product s | CER | plain Tesseract s | CER |");
  console.log("|---|---|---|---|---|");
  const dir = mkdtempSync(join(tmpdir(), "variorum-bench-ocr-"));
  try {
    for (const scale of [1, 2]) {
      const page = await renderNewspaperPage(quotedPassages(), { scale });
      const known = page.lines.map((l) => l.text).join("\n");
      const file = join(dir, `page-${scale}.png`);
      writeFileSync(file, page.png);
      const product: number[] = [];
      const plain: number[] = [];
      let productText = "";
      let plainText = "";
      for (let i = 0; i < ROUNDS; i++) {
        const r = await recognisePage(page.png, page, "eng");
        product.push(r.seconds);
        productText = pageText(r.page);
        const t0 = performance.now();
        plainText = pageText(parseTesseractTsv(await tesseractTsv(file, "eng")));
        plain.push((performance.now() - t0) / 1000);
      }
      const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
      console.log(
        `| ${page.width}×${page.height} | ${median(product).toFixed(2)} | ${pct(characterErrorRate(known, productText))} | ${median(plain).toFixed(2)} | ${pct(characterErrorRate(known, plainText))} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Tesseract (Debian's `tesseract-ocr`, with `tesseract-ocr-eng` and `tesseract-ocr-rus`) run on one
 * cleaned page image, giving its TSV: every word with its box, its line, paragraph and block, and its
 * confidence. Automatic page segmentation (`--psm 3`) finds the columns of a newspaper page.
 */
import { runProgram } from "./programs.ts";

/** The languages a witness can be read in, as Tesseract names its trained data. */
export const OCR_LANGUAGES = ["eng", "rus"] as const;
export type OcrLanguage = (typeof OCR_LANGUAGES)[number];

export function isOcrLanguage(value: unknown): value is OcrLanguage {
  return typeof value === "string" && (OCR_LANGUAGES as readonly string[]).includes(value);
}

/** The OCR language of a witness from the register's language (BCP 47: "en", "ru"); English otherwise. */
export function languageOfWitness(language: string): OcrLanguage {
  return /^ru\b/i.test(language) ? "rus" : "eng";
}

/** Runs Tesseract over an image file and returns its TSV. */
export async function tesseractTsv(file: string, lang: OcrLanguage): Promise<string> {
  try {
    // Heavy noise removal: what speckle the cleaning left is not read as stray punctuation.
    const run = await runProgram("tesseract", [
      file,
      "stdout",
      "-l",
      lang,
      "--psm",
      "3",
      "-c",
      "textord_heavy_nr=1",
      "tsv",
    ]);
    return run.stdout.toString("utf8");
  } catch (error) {
    const message = (error as Error).message;
    if (/Failed loading language|Error opening data file/.test(message))
      throw new Error(
        `Tesseract has no trained data for "${lang}" (Debian package tesseract-ocr-${lang}): ${message}`,
      );
    throw error;
  }
}

/** Tesseract's version line ("tesseract 5.3.0"), to name the engine of a draft. */
export async function tesseractVersion(): Promise<string> {
  const run = await runProgram("tesseract", ["--version"], 10_000);
  return (run.stdout.toString("utf8") || run.stderr).split("\n")[0]?.trim() ?? "tesseract";
}

/**
 * Writing a recognised page into the witness's live transcription document, as one change with the
 * origin `ocr` (stored, then sent to everyone editing it), and the draft's provenance in the
 * document's meta: which engine read which page in which language, with what mean confidence.
 */
import { ROOTS } from "../../schema/layout.ts";
import { type DraftResult, insertDraft, pageContent } from "../../schema/ocrDraft.ts";
import { meanConfidence, pageWords } from "../../schema/ocrResult.ts";
import type { Origin } from "../../schema/origin.ts";
import { readBody } from "../../schema/readBody.ts";
import type { OpenDocument } from "../document.ts";
import type { PageRecord } from "../media/pageStore.ts";
import type { AsyncPageStore } from "../store/asyncStore.ts";
import type { Recognised } from "./recognise.ts";
import type { OcrLanguage } from "./tesseract.ts";

/** The provenance of one page's draft, kept in the transcription's meta under `ocr`. */
export interface DraftRecord {
  page: number;
  engine: string;
  lang: OcrLanguage;
  meanConfidence: number;
  words: number;
  lowConfidence: number;
  by: string | null;
  at: number;
}

/** Why page n of this transcription cannot take a draft, or null when it is empty. */
export function refusalFor(doc: OpenDocument, n: number, siglum: string): string | null {
  const held = pageContent(readBody(doc.ydoc), n);
  return held
    ? `page ${n} of ${siglum} already holds ${held}: OCR fills only empty pages and never overwrites what a person typed`
    : null;
}

/**
 * Writes the draft of one page into its transcription and resolves once it is stored. The page is checked
 * for words a person typed in the same change that writes the draft (nothing awaited between).
 */
export async function writeDraft(
  doc: OpenDocument,
  pages: AsyncPageStore,
  page: PageRecord,
  read: Recognised,
  o: { lang: OcrLanguage; engine: string; user: string | null },
): Promise<DraftResult & { meanConfidence: number }> {
  let result: DraftResult = { ok: false, error: "nothing was written" };
  const labels = new Map((await pages.list(page.editionId, page.siglum)).map((p) => [p.n, p.label]));
  const mean = meanConfidence(pageWords(read.page));
  const origin: Origin = {
    kind: "ocr",
    what: `OCR draft of page ${page.n} of ${page.siglum} (${o.engine}, ${o.lang})`,
    user: o.user,
  };
  await doc.transact(origin, (ydoc) => {
    result = insertDraft(ydoc, {
      n: page.n,
      label: page.label,
      labelOf: (m) => labels.get(m) ?? String(m),
      page: read.page,
      by: o.user,
    });
    if (!result.ok) return;
    const meta = ydoc.getMap<unknown>(ROOTS.meta);
    const drafts = { ...((meta.get("ocr") as Record<string, DraftRecord> | undefined) ?? {}) };
    drafts[String(page.n)] = {
      page: page.n,
      engine: o.engine,
      lang: o.lang,
      meanConfidence: Math.round(mean * 10) / 10,
      words: result.words,
      lowConfidence: result.lowConfidence,
      by: o.user,
      at: Date.now(),
    };
    meta.set("ocr", drafts);
  });
  const done = result as DraftResult;
  // A refused page must stay as it was: the page's error says why, prefixed with the witness.
  if (!done.ok)
    return {
      ...done,
      error: done.error.replace(/^page (\d+)/, `page $1 of ${page.siglum}`),
      meanConfidence: mean,
    };
  return { ...done, meanConfidence: mean };
}

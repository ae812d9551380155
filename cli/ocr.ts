/**
 * `npx variorum ocr <edition> <siglum> [--lang eng|rus]`: fills every empty page of a witness's
 * transcription with an OCR draft of its page image (server/ocr/), page by page, printing each page's
 * progress and, at the end, the mean confidence. Pages that hold anything a person put there are left
 * alone and named. Written through the store, as the server writes: a running server picks it up.
 */
import { meanConfidence, type OcrWord, pageWords } from "../schema/ocrResult.ts";
import { getWitness } from "../schema/witnesses.ts";
import { OpenDocument } from "../server/document.ts";
import { refusalFor, writeDraft } from "../server/ocr/draft.ts";
import { recognisePage } from "../server/ocr/recognise.ts";
import {
  isOcrLanguage,
  languageOfWitness,
  OCR_LANGUAGES,
  type OcrLanguage,
  tesseractVersion,
} from "../server/ocr/tesseract.ts";
import { startTranscription, witnessDocName } from "../server/witnesses.ts";
import { CLI_DOCUMENT_OPTIONS, type Command, options, UsageError, withStore } from "./commands.ts";

const USAGE = `usage: npx variorum ocr <edition> <siglum> [--lang ${OCR_LANGUAGES.join("|")}]`;

export const ocrCommand: Command = {
  summary:
    "fill a witness's empty pages with an OCR draft of their images (Tesseract); prints the mean confidence",
  usage: `ocr <edition> <siglum> [--lang ${OCR_LANGUAGES.join("|")}]`,
  async run(args, ctx) {
    const { rest, opts } = options(args, ["lang"]);
    const [editionId, siglum] = rest;
    if (!editionId || !siglum || rest.length > 2) throw new UsageError(USAGE);
    if (opts.lang !== undefined && !isOcrLanguage(opts.lang))
      throw new UsageError(`--lang "${opts.lang}" is not one OCR reads here: ${OCR_LANGUAGES.join(", ")}`);
    const say = (line: string) => process.stdout.write(`${line}\n`);
    return withStore(ctx, async (store) => {
      if (!(await store.getEdition(editionId))) throw new Error(`unknown edition "${editionId}"`);
      const edition = await OpenDocument.open(editionId, store, CLI_DOCUMENT_OPTIONS);
      // Destroyed on every path: its awareness timer would otherwise keep the process alive after an error.
      let lang: OcrLanguage;
      let pages: Awaited<ReturnType<typeof store.pages.list>>;
      const by = process.env.USER ?? null;
      try {
        const witness = getWitness(edition.ydoc, siglum);
        if (!witness) throw new Error(`unknown witness "${siglum}" in edition "${editionId}"`);
        lang = isOcrLanguage(opts.lang) ? opts.lang : languageOfWitness(witness.language);
        pages = await store.pages.list(editionId, siglum);
        if (pages.length === 0)
          throw new Error(
            `witness "${siglum}" has no page images; add them first: npx variorum pages add ${editionId} ${siglum} <image…>`,
          );
        const started = await startTranscription(store, edition, siglum, by);
        if (!started.ok) throw new Error(started.error);
      } finally {
        edition.destroy();
      }
      const doc = await OpenDocument.open(witnessDocName(editionId, siglum), store, CLI_DOCUMENT_OPTIONS);
      const engine = await tesseractVersion();
      say(`OCR of ${siglum} in ${editionId}: ${pages.length} page(s), language ${lang}, ${engine}`);
      const read: OcrWord[] = [];
      let failed = 0;
      let drafted = 0;
      try {
        for (const page of pages) {
          const head = `page ${page.n} of ${pages.length}`;
          const refusal = page.hash
            ? refusalFor(doc, page.n, siglum)
            : `it is an image elsewhere (${page.url}), not stored here: OCR reads only page images added to this server`;
          if (refusal) {
            say(`${head}: left alone — ${refusal}`);
            continue;
          }
          try {
            const result = await recognisePage(await store.pages.read(page.hash), page, lang, (stage) =>
              say(`${head}: ${stage === "cleaning" ? "cleaning the image" : "reading"}…`),
            );
            const written = await writeDraft(doc, store.pages, page, result, { lang, engine, user: by });
            if (!written.ok) {
              say(`${head}: left alone — ${written.error}`);
              continue;
            }
            drafted++;
            read.push(...pageWords(result.page));
            say(
              `${head}: ${written.words} words in ${written.zones.length} lines, ${written.lowConfidence} read with low confidence, mean confidence ${written.meanConfidence.toFixed(1)}, ${result.seconds.toFixed(1)} s`,
            );
          } catch (error) {
            failed++;
            process.stderr.write(`${head}: OCR failed: ${(error as Error).message}\n`);
          }
        }
      } finally {
        doc.destroy();
      }
      say(
        drafted
          ? `drafted ${drafted} page(s) of ${siglum}, mean confidence ${meanConfidence(read).toFixed(1)}; the draft is proposed until an editor accepts it`
          : `no page of ${siglum} was drafted`,
      );
      return failed ? 1 : 0;
    });
  },
};

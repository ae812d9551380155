/**
 * OCR drafts of page images (server/ocr/):
 * - `POST /api/editions/<id>/witnesses/<siglum>/pages/<n>/ocr[?lang=eng|rus]` (editors): queues the OCR of
 *   page n (the language: the request's, else the witness's in the register, else English); 202 with the
 *   job, 200 with the job already running, 409 when the page holds words a person typed;
 * - `GET …/pages/<n>/ocr`: that page's job, with its lines, their zones and their words' boxes;
 * - `GET /api/editions/<id>/ocr`: the edition's jobs (their progress is also in the documents' awareness).
 */
import type { Express } from "express";
import { getWitness } from "../../schema/witnesses.ts";
import { OcrJobs, summary } from "../ocr/jobs.ts";
import { isOcrLanguage, languageOfWitness, OCR_LANGUAGES } from "../ocr/tesseract.ts";
import { startTranscription } from "../witnesses.ts";
import { access, type RouteDeps, refuse } from "./access.ts";

export function ocrRoutes(app: Express, deps: RouteDeps): OcrJobs {
  const jobs = new OcrJobs({ pages: deps.store.pages, documents: deps.documents, log: deps.log });

  app.post(
    "/api/editions/:id/witnesses/:siglum/pages/:n/ocr",
    deps.requireAccess("edit"),
    async (req, res) => {
      const { edition, principal } = access(res);
      const siglum = String(req.params.siglum);
      const witness = await deps.documents.with(edition.id, (doc) => getWitness(doc.ydoc, siglum));
      if (!witness) return refuse(res, 404, `unknown witness "${siglum}" in edition "${edition.id}"`);
      const n = Number(req.params.n);
      const page = Number.isInteger(n) ? await deps.store.pages.get(edition.id, siglum, n) : null;
      if (!page)
        return refuse(res, 404, `no page ${req.params.n} of witness "${siglum}" in edition "${edition.id}"`);
      if (!page.hash)
        return refuse(
          res,
          409,
          `page ${page.n} of witness "${siglum}" is an image elsewhere (${page.url}), not stored here: OCR reads only page images added to this server`,
        );
      const asked = req.query.lang;
      if (asked !== undefined && !isOcrLanguage(asked))
        return refuse(
          res,
          400,
          `OCR language "${String(asked)}" is not one this server reads: ${OCR_LANGUAGES.join(", ")}`,
        );
      const lang = isOcrLanguage(asked) ? asked : languageOfWitness(witness.language);
      const by = principal?.displayName ?? null;
      const started = await deps.documents.with(edition.id, (doc) =>
        startTranscription(deps.store, doc, siglum, by),
      );
      if (!started?.ok) return refuse(res, started?.status ?? 404, started?.error ?? "no document");
      const queued = await jobs.start(page, lang, by);
      if ("error" in queued) return refuse(res, 409, queued.error);
      res.status(queued.queued ? 202 : 200).json(summary(queued.job));
    },
  );

  app.get("/api/editions/:id/witnesses/:siglum/pages/:n/ocr", deps.requireAccess("read"), (req, res) => {
    const { edition } = access(res);
    const job = jobs.get(edition.id, String(req.params.siglum), Number(req.params.n));
    if (!job)
      return refuse(
        res,
        404,
        `no OCR of page ${req.params.n} of witness "${req.params.siglum}" in edition "${edition.id}" since the server started`,
      );
    res.json(job);
  });

  app.get("/api/editions/:id/ocr", deps.requireAccess("read"), (_req, res) => {
    res.json(jobs.list(access(res).edition.id).map(summary));
  });
  return jobs;
}

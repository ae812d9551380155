/**
 * The witnesses of an edition: the register, a witness's text as the edition records it, importing one
 * (UTF-8 text with a provenance header, or TEI), starting a transcription, and collating it with the
 * base text into proposed entries. (Their page images are `pages.ts`.)
 */
import express, { type Express, type Response } from "express";
import { readMeta } from "../../schema/layout.ts";
import { getWitness, listWitnesses } from "../../schema/witnesses.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { collateWitness } from "../collation.ts";
import { readableStateVector } from "../stateWait.ts";
import { decodeUpload, importWitness, startTranscription } from "../witnesses.ts";
import { witnessOwnText } from "../witnessOwnText.ts";
import { access, type RouteDeps, refuse } from "./access.ts";

/** Answers an operation's expected failure: its status (404 when it names none) and what went wrong. */
function failed(res: Response, result: { status?: number; error?: string } | null): void {
  refuse(res, result?.status ?? 404, result?.error ?? "no document");
}

export function witnessRoutes(app: Express, deps: RouteDeps): void {
  app.get("/api/editions/:id/witnesses", deps.requireAccess("read"), async (_req, res) => {
    const { edition } = access(res);
    res.json(await deps.documents.with(edition.id, (doc) => listWitnesses(doc.ydoc)));
  });

  app.get("/api/editions/:id/witnesses/:siglum", deps.requireAccess("read"), async (req, res) => {
    const { edition } = access(res);
    const siglum = String(req.params.siglum);
    // ?text=own: the witness's own document, as collation reads it, where it has one (witnessOwnText.ts).
    // Asked first: the text the edition's entries give a witness is a copy and a walk of the whole
    // edition, most of a second in a large one, for nothing when the witness has a text of its own.
    if (req.query.text === "own") {
      const known = await deps.documents.with(
        edition.id,
        (doc) => getWitness(doc.ydoc, siglum) !== null || readMeta(doc.ydoc).baseWitness === siglum,
      );
      const own = known ? await witnessOwnText(deps.documents, edition.id, siglum) : null;
      if (own !== null) return void res.type("text/plain; charset=utf-8").send(own);
    }
    const result = await deps.documents.with(edition.id, (doc) => witnessText(doc.ydoc, siglum));
    if (!result?.ok) return refuse(res, 404, `${result?.reason ?? "no document"} in edition "${edition.id}"`);
    res.type("text/plain; charset=utf-8").send(result.text);
  });

  app.post(
    "/api/editions/:id/witnesses/:siglum",
    deps.requireAccess("edit"),
    express.raw({ type: () => true, limit: "10mb" }),
    async (req, res) => {
      const { edition, principal } = access(res);
      const fileName = typeof req.query.filename === "string" ? req.query.filename : "the upload";
      const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
      const decoded = decodeUpload(bytes, fileName);
      if (!decoded.ok) return refuse(res, decoded.status, decoded.error);
      const result = await deps.documents.with(edition.id, (doc) =>
        importWitness(
          deps.store,
          doc,
          String(req.params.siglum),
          decoded.text,
          fileName,
          principal?.displayName ?? null,
        ),
      );
      if (!result?.ok) return failed(res, result);
      res.status(201).json({ witness: result.witness, blocks: result.blocks });
    },
  );

  app.post(
    "/api/editions/:id/witnesses/:siglum/transcription",
    deps.requireAccess("edit"),
    async (req, res) => {
      const { edition, principal } = access(res);
      const result = await deps.documents.with(edition.id, (doc) =>
        startTranscription(deps.store, doc, String(req.params.siglum), principal?.displayName ?? null),
      );
      if (!result?.ok) return failed(res, result);
      res
        .status(201)
        .json({ doc: result.doc, editor: `/editions/${edition.id}/witness/${req.params.siglum}` });
    },
  );

  app.post("/api/editions/:id/witnesses/:siglum/collate", deps.requireAccess("edit"), async (req, res) => {
    const { edition, principal } = access(res);
    // What to ignore when comparing (all four by default); what is ignored is still reported.
    const ignore = Array.isArray(req.body?.ignore)
      ? (req.body.ignore as unknown[]).map(String)
      : ["case", "quotes", "punctuation", "spelling"];
    const normalise = {
      case: ignore.includes("case"),
      quotes: ignore.includes("quotes"),
      punctuation: ignore.includes("punctuation"),
      spelling: ignore.includes("spelling"),
    };
    // The near-match threshold (edits per letter for an orthographic variant): a number from 0 to 1.
    const nearMatch = req.body?.nearMatch;
    if (nearMatch !== undefined && !(typeof nearMatch === "number" && nearMatch >= 0 && nearMatch <= 1)) {
      return refuse(res, 400, `nearMatch must be a number from 0 to 1, not ${JSON.stringify(nearMatch)}`);
    }
    // The transcription's state vector as the asker had it (base64): collated once the server holds it.
    const after = req.body?.after;
    if (after !== undefined && (typeof after !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(after)))
      return refuse(
        res,
        400,
        `after must be a state vector in base64, not ${JSON.stringify(after).slice(0, 40)}`,
      );
    const wanted = after === undefined ? undefined : new Uint8Array(Buffer.from(after, "base64"));
    if (wanted && !readableStateVector(wanted))
      return refuse(res, 400, "after is not a state vector (Y.encodeStateVector of the transcription)");
    const result = await deps.documents.with(edition.id, (doc) =>
      collateWitness(
        deps.documents,
        doc,
        String(req.params.siglum),
        principal?.displayName ?? null,
        normalise,
        nearMatch,
        wanted,
      ),
    );
    if (!result?.ok) return failed(res, result);
    const { ok: _ok, ...summary } = result;
    res.json({ ...summary, review: `/editions/${edition.id}/review/${req.params.siglum}` });
  });
}

/**
 * Attaching a IIIF Presentation manifest (v2 or v3) or an Image API service to a witness by its URL:
 * - `POST /api/editions/<id>/witnesses/<siglum>/iiif` (editors), body `{ "url": "https://…" }`: the
 *   server fetches it (`../media/iiifFetch.ts`: http(s) only, public addresses only unless
 *   `VARIORUM_IIIF_ALLOW_PRIVATE=1`, size cap, time limit, JSON only), reads its canvases
 *   (`../media/iiifManifest.ts`) and adds them as the witness's next pages: references to the images
 *   where they are, never copies. A manifest already attached to the witness is refused.
 * The witness's own manifest (`pages.ts`) then paints those pages from their URLs.
 */
import express, { type Express, type Response } from "express";
import { fetchIiif } from "../media/iiifFetch.ts";
import { readIiif } from "../media/iiifManifest.ts";
import type { PageRecord } from "../media/pageStore.ts";
import { access, type RouteDeps, refuse } from "./access.ts";
import { serialiser } from "./serialise.ts";

export function iiifImportRoutes(app: Express, deps: RouteDeps): void {
  const { store, requireAccess } = deps;
  const perWitness = serialiser();
  app.post(
    "/api/editions/:id/witnesses/:siglum/iiif",
    requireAccess("edit"),
    express.json({ limit: "16kb" }),
    async (req, res) => {
      const { edition, principal } = access(res);
      const siglum = String(req.params.siglum);
      const known = await deps.documents.with(edition.id, (doc) => doc.ydoc.getMap("witnesses").has(siglum));
      if (!known) return refuse(res, 404, `unknown witness "${siglum}" in edition "${edition.id}"`);
      const url = typeof req.body?.url === "string" ? req.body.url.trim() : "";
      if (!url) return refuse(res, 400, 'the body must be {"url": "<a IIIF manifest or info.json>"}');
      const attachedAlready = async () => {
        const already = (await store.pages.list(edition.id, siglum)).filter((p) => p.source === url);
        return already.length > 0
          ? `${url} is already attached to witness "${siglum}" as pages ${already[0]?.n}–${already.at(-1)?.n}`
          : null;
      };
      const before = await attachedAlready();
      if (before) return refuse(res, 409, before);
      const fetched = await fetchIiif(url);
      if (!fetched.ok) return refuse(res, fetched.status, fetched.error);
      const read = readIiif(fetched.json, url);
      if (!read.ok) return refuse(res, 422, read.error);
      // Asked again after the fetch, and with nothing of the same witness in between until the pages are
      // added: the same URL sent twice at once is attached once (by this server).
      type Attached = { refused: string } | { pages: PageRecord[] };
      const attached = await perWitness<Attached>(`${edition.id}\u0000${siglum}`, async () => {
        const meanwhile = await attachedAlready();
        if (meanwhile) return { refused: meanwhile };
        const added = await store.pages.addExternal(
          read.pages.map((p) => ({
            editionId: edition.id,
            siglum,
            label: p.label,
            url: p.url,
            service: p.service,
            source: url,
            kind: p.kind,
            width: p.width,
            height: p.height,
            addedBy: principal?.displayName ?? null,
          })),
        );
        return { pages: added };
      });
      if ("refused" in attached) return refuse(res, 409, attached.refused);
      const { pages } = attached;
      deps.log.info(
        `${principal?.name ?? "?"} attached ${pages.length} pages of ${url} (${read.version}) to ${siglum} of "${edition.id}"`,
      );
      res.status(201).json({ version: read.version, pages });
    },
  );
}

/** A page that is a reference: its image (or its service's info.json) is where it is, not here. */
export function externalPage(res: Response, p: PageRecord, what: "image" | "info.json"): void {
  if (what === "image") res.redirect(302, p.url as string);
  else if (p.service) res.redirect(302, `${p.service}/info.json`);
  else
    refuse(
      res,
      404,
      `page ${p.n} of witness "${p.siglum}" is an image elsewhere (${p.url}) with no IIIF image service`,
    );
}

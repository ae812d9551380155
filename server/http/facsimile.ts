/**
 * A witness's transcription as TEI, with its facsimile (`../../schema/tei/transcription.ts`):
 * `GET /api/editions/<id>/witnesses/<siglum>/tei` (readers). Each page image is named by its URL: ours
 * (the level-0 image of `pages.ts`, at this server's address) or, for a page that is a reference, where
 * it is. Importing the file as a witness (`POST …/witnesses/<siglum>`) gives the zones and the pages
 * back, the pages as references to those URLs.
 */
import type { Express } from "express";
import type { FacsimilePage } from "../../schema/tei/facsimile.ts";
import { transcriptionTei } from "../../schema/tei/transcription.ts";
import { witnessDocName } from "../witnesses.ts";
import { access, type RouteDeps, refuse } from "./access.ts";
import { baseUrl } from "./members.ts";
import { EXT } from "./pages.ts";

export function facsimileRoutes(app: Express, deps: RouteDeps): void {
  app.get("/api/editions/:id/witnesses/:siglum/tei", deps.requireAccess("read"), async (req, res) => {
    const { edition } = access(res);
    const siglum = String(req.params.siglum);
    const iiif = `${baseUrl(req, deps.publicUrl)}/iiif/${encodeURIComponent(edition.id)}/${encodeURIComponent(siglum)}`;
    const pages: FacsimilePage[] = (await deps.store.pages.list(edition.id, siglum)).map((p) => ({
      label: p.label,
      url: p.url ?? `${iiif}/${p.n}/full/max/0/default.${EXT[p.kind]}`,
      width: p.width,
      height: p.height,
    }));
    const result = await deps.documents.with(edition.id, (editionDoc) =>
      deps.documents.with(witnessDocName(edition.id, siglum), (doc) =>
        transcriptionTei(editionDoc.ydoc, doc.ydoc, siglum, pages),
      ),
    );
    if (!result)
      return refuse(res, 404, `witness "${siglum}" of edition "${edition.id}" has no transcription`);
    if ("error" in result) return refuse(res, 404, result.error);
    for (const w of result.warnings) deps.log.info(`TEI of ${siglum} in "${edition.id}": ${w}`);
    res.setHeader("Content-Disposition", `attachment; filename="${edition.id}-${siglum}.xml"`);
    res.type("application/tei+xml; charset=utf-8").send(result.xml);
  });
}

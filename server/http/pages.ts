/**
 * The page images of a witness, and the IIIF view of them:
 * - `POST /api/editions/<id>/witnesses/<siglum>/pages?filename=<name>` (editors): the image as the body;
 *   recognised by its bytes, capped in size and pixels, refused whole when it is not a page image;
 * - `GET /api/editions/<id>/witnesses/<siglum>/pages`: the pages in order;
 * - `GET /iiif/<id>/<siglum>/manifest.json`: a IIIF Presentation 3 manifest, a canvas per page, so that
 *   Mirador or any IIIF viewer opens them; `GET /iiif/<id>/<siglum>/<n>/info.json` and
 *   `/iiif/<id>/<siglum>/<n>/full/max/0/default.<ext>`: a level-0 IIIF Image API 3 service per page.
 * All of them with the edition's roles: an unpublished edition's pages only to its members.
 */
import express, { type Express, type Request, type Response } from "express";
import { checkImage, MAX_IMAGE_BYTES, MIME } from "../media/imageCheck.ts";
import type { PageRecord } from "../media/pageStore.ts";
import { access, type RouteDeps, refuse } from "./access.ts";
import { externalPage } from "./iiifImport.ts";
import { baseUrl } from "./members.ts";

/** The file extension of each kind of page image, as the level-0 service serves it. */
export const EXT: Record<PageRecord["kind"], string> = { jpeg: "jpg", png: "png", webp: "webp", tiff: "tif" };

export function pageRoutes(app: Express, deps: RouteDeps): void {
  const { store, requireAccess } = deps;
  const witnessKnown = async (res: Response, siglum: string): Promise<boolean> => {
    const { edition } = access(res);
    const known = await deps.documents.with(edition.id, (doc) => doc.ydoc.getMap("witnesses").has(siglum));
    if (!known) refuse(res, 404, `unknown witness "${siglum}" in edition "${edition.id}"`);
    return !!known;
  };

  app.post(
    "/api/editions/:id/witnesses/:siglum/pages",
    requireAccess("edit"),
    (req, res, next) => {
      // Refused from its announced length, at once: the body parser would read all of it first.
      const length = Number(req.headers["content-length"] ?? 0);
      if (length <= MAX_IMAGE_BYTES) return next();
      res.setHeader("Connection", "close");
      refuse(res, 413, `the upload is ${length} bytes; a page image has at most ${MAX_IMAGE_BYTES}`);
      res.on("finish", () => req.socket.destroy());
    },
    express.raw({ type: () => true, limit: MAX_IMAGE_BYTES }),
    async (req, res) => {
      const { edition, principal } = access(res);
      const siglum = String(req.params.siglum);
      if (!(await witnessKnown(res, siglum))) return;
      const name = typeof req.query.filename === "string" ? req.query.filename : "the upload";
      const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
      const checked = checkImage(bytes, name);
      if (!checked.ok) return refuse(res, checked.error.includes("at most") ? 413 : 415, checked.error);
      const page = await store.pages.add(
        {
          editionId: edition.id,
          siglum,
          kind: checked.kind,
          width: checked.width,
          height: checked.height,
          addedBy: principal?.displayName ?? null,
        },
        bytes,
      );
      deps.log.info(
        `${principal?.name ?? "?"} added page ${page.n} of ${siglum} to "${edition.id}" (${name})`,
      );
      res.status(201).json(page);
    },
  );

  app.get("/api/editions/:id/witnesses/:siglum/pages", requireAccess("read"), async (req, res) => {
    res.json(await store.pages.list(access(res).edition.id, String(req.params.siglum)));
  });

  const iiifBase = (req: Request, editionId: string, siglum: string) =>
    `${baseUrl(req, deps.publicUrl)}/iiif/${encodeURIComponent(editionId)}/${encodeURIComponent(siglum)}`;

  app.get("/iiif/:id/:siglum/manifest.json", requireAccess("read"), async (req, res) => {
    const { edition } = access(res);
    const siglum = String(req.params.siglum);
    if (!(await witnessKnown(res, siglum))) return;
    const base = iiifBase(req, edition.id, siglum);
    const pages = await store.pages.list(edition.id, siglum);
    res.type("application/ld+json; charset=utf-8").json({
      "@context": "http://iiif.io/api/presentation/3/context.json",
      id: `${base}/manifest.json`,
      type: "Manifest",
      label: { en: [`${edition.title}: witness ${siglum}`] },
      items: pages.map((p) => {
        const canvas = `${base}/canvas/${p.n}`;
        const service = `${base}/${p.n}`;
        return {
          id: canvas,
          type: "Canvas",
          label: { none: [p.label] },
          width: p.width,
          height: p.height,
          items: [
            {
              id: `${canvas}/page`,
              type: "AnnotationPage",
              items: [
                {
                  id: `${canvas}/image`,
                  type: "Annotation",
                  motivation: "painting",
                  target: canvas,
                  // A page that is a reference (a IIIF canvas, a TEI graphic) is painted from where it is.
                  body: {
                    id: p.url ?? `${service}/full/max/0/default.${EXT[p.kind]}`,
                    type: "Image",
                    format: MIME[p.kind],
                    width: p.width,
                    height: p.height,
                    // An image elsewhere without a service of its own has none here either.
                    ...(p.url && !p.service
                      ? {}
                      : { service: [{ id: service, type: "ImageService3", profile: "level0" }] }),
                  },
                },
              ],
            },
          ],
        };
      }),
    });
  });

  const page = async (req: Request, res: Response): Promise<PageRecord | null> => {
    const { edition } = access(res);
    const n = Number(req.params.n);
    const found = Number.isInteger(n)
      ? await store.pages.get(edition.id, String(req.params.siglum), n)
      : null;
    if (!found)
      refuse(
        res,
        404,
        `no page ${req.params.n} of witness "${req.params.siglum}" in edition "${edition.id}"`,
      );
    return found;
  };

  app.get("/iiif/:id/:siglum/:n/info.json", requireAccess("read"), async (req, res) => {
    const p = await page(req, res);
    if (!p) return;
    if (p.url) return externalPage(res, p, "info.json");
    res.type("application/ld+json; charset=utf-8").json({
      "@context": "http://iiif.io/api/image/3/context.json",
      id: `${iiifBase(req, p.editionId, p.siglum)}/${p.n}`,
      type: "ImageService3",
      protocol: "http://iiif.io/api/image",
      profile: "level0",
      width: p.width,
      height: p.height,
      extraFormats: [EXT[p.kind]],
    });
  });

  app.get("/iiif/:id/:siglum/:n/full/max/0/default.:ext", requireAccess("read"), async (req, res) => {
    const p = await page(req, res);
    if (!p) return;
    if (p.url) return externalPage(res, p, "image");
    if (req.params.ext !== EXT[p.kind])
      return refuse(
        res,
        400,
        `page ${p.n} of ${p.siglum} is served as default.${EXT[p.kind]} (level 0: no conversion)`,
      );
    const { edition } = access(res);
    // The file never changes (content-addressed); who may see it can, so unpublished pages stay private.
    res.setHeader("Cache-Control", `${edition.published ? "public" : "private"}, max-age=3600`);
    res.setHeader("ETag", `"${p.hash}"`);
    if (req.headers["if-none-match"] === `"${p.hash}"`) {
      res.status(304).end();
      return;
    }
    res.type(MIME[p.kind]).send(Buffer.from(await store.pages.read(p.hash)));
  });
}

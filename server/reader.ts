/**
 * The reading edition over HTTP: /read/<id>/ (index.html), glossary.html and its two static assets,
 * the same files `npx variorum export html` writes; the print preview (/read/<id>/print.html, the page
 * the PDF is printed from, with its editorial report); and the edition's publication settings
 * (`GET|PUT /api/editions/<id>/publication`: owner only to change).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Express, RequestHandler } from "express";
import { readingEdition, type SiteFile } from "../schema/html.ts";
import type { Origin } from "../schema/origin.ts";
import { LAYOUT_SCRIPT, printDocument } from "../schema/print.ts";
import {
  describeReport,
  parsePublicationSettings,
  publicationReport,
  readPublicationSettings,
  setPublicationSettings,
} from "../schema/publication.ts";
import { SCANS_CSS_FILE, SCANS_SCRIPT_FILE } from "../schema/publish/scans.ts";
import { SEARCH_INDEX_FILE, SEARCH_SCRIPT_FILE } from "../schema/publish/searchIndex.ts";
import { type Access, access } from "./app.ts";
import { cslFiles } from "./cslFiles.ts";
import type { Documents } from "./documents.ts";
import type { Operation } from "./permissions.ts";
import { readerScans, scanFiles, servedPlace } from "./readerScans.ts";
import { readerSearchScript, searchIndexOf } from "./readerSearchAsset.ts";
import { ROOT } from "./root.ts";
import type { AsyncStore } from "./store/asyncStore.ts";

const clientDir = join(ROOT, "client");

let assets: { css: string; js: string; search: string } | null = null;

/** The reader's stylesheet and scripts (the search built by `npm run build`), shipped with every export (read once). */
export function readerAssets(): { css: string; js: string; search: string } {
  assets ??= {
    css: readFileSync(join(clientDir, "reader.css"), "utf8"),
    js: readFileSync(join(clientDir, "reader.js"), "utf8"),
    search: readerSearchScript(),
  };
  return assets;
}

const TYPES: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "glossary.html": "text/html; charset=utf-8",
  "bibliography.html": "text/html; charset=utf-8",
  "reader.css": "text/css; charset=utf-8",
  "reader.js": "text/javascript; charset=utf-8",
  [SEARCH_INDEX_FILE]: "text/javascript; charset=utf-8",
  [SEARCH_SCRIPT_FILE]: "text/javascript; charset=utf-8",
  [SCANS_SCRIPT_FILE]: "text/javascript; charset=utf-8",
  [SCANS_CSS_FILE]: "text/css; charset=utf-8",
};

export function readerRoutes(
  documents: Documents,
  store?: AsyncStore,
): (app: Express, requireAccess: (op: Operation) => RequestHandler) => void {
  return (app, requireAccess) => {
    const publicationJson = (ydoc: import("yjs").Doc) => {
      const report = publicationReport(ydoc);
      return {
        settings: report.settings,
        report: describeReport(report),
        printed: report.printed,
        leftOut: report.leftOut.map((l) => ({ id: l.id, lemma: l.lemma, reason: l.reason })),
      };
    };
    app.get("/api/editions/:id/publication", requireAccess("read"), async (_req, res) => {
      const { edition } = access(res) as Access;
      res.json(await documents.with(edition.id, (doc) => publicationJson(doc.ydoc)));
    });
    app.put("/api/editions/:id/publication", requireAccess("manage"), async (req, res) => {
      const { edition, principal } = access(res) as Access;
      const result = await documents.with(edition.id, async (doc) => {
        const parsed = parsePublicationSettings(req.body, readPublicationSettings(doc.ydoc));
        if (!parsed.ok) return parsed;
        const origin: Origin = {
          kind: "server",
          reason: "publication settings",
          user: principal?.displayName ?? null,
        };
        const stored = doc.transact(origin, (ydoc) => setPublicationSettings(ydoc, parsed.settings));
        // The settings as the change left them (it is applied at once), answered once it is stored.
        const body = publicationJson(doc.ydoc);
        await stored;
        return { ok: true as const, body };
      });
      if (!result) return void res.status(404).json({ error: `unknown edition "${edition.id}"` });
      if (!result.ok) return void res.status(400).json({ error: result.error });
      res.json(result.body);
    });
    // The print preview lays itself out with one inline script: allowed by its hash, nothing else.
    const layoutHash = createHash("sha256").update(LAYOUT_SCRIPT).digest("base64");
    app.get("/read/:id/print.html", requireAccess("read"), async (_req, res) => {
      const { edition } = access(res) as Access;
      const html = await documents.with(edition.id, (doc) => printDocument(doc.ydoc, cslFiles()));
      if (html === null) return void res.status(404).json({ error: `unknown edition "${edition.id}"` });
      res.setHeader(
        "Content-Security-Policy",
        `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${layoutHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      );
      res.type("text/html; charset=utf-8").send(html);
    });
    // Relative links in the pages need the trailing slash; Express matches with or without it.
    app.get("/read/:id", (req, res, next) => {
      if (req.path.endsWith("/")) return next();
      res.redirect(301, `/read/${encodeURIComponent(req.params.id)}/`);
    });
    app.get(["/read/:id/", "/read/:id/:file"], requireAccess("read"), async (req, res) => {
      const { edition } = access(res) as Access;
      const file = typeof req.params.file === "string" ? req.params.file : "index.html";
      if (!TYPES[file]) {
        res.status(404).json({ error: `nothing at ${req.path}` });
        return;
      }
      res.type(TYPES[file] as string);
      // The two static assets need no document; the pages are built together (the glossary page links
      // to the mentions the text page numbers).
      if (file === "reader.css" || file === "reader.js") {
        res.send(file === "reader.css" ? readerAssets().css : readerAssets().js);
        return;
      }
      if (file === SEARCH_SCRIPT_FILE) return void res.send(readerAssets().search);
      if (file === SCANS_SCRIPT_FILE || file === SCANS_CSS_FILE)
        return void res.send(file === SCANS_CSS_FILE ? scanFiles().css : scanFiles().script);
      // The search index is built apart, so that a page does not rebuild it.
      if (file === SEARCH_INDEX_FILE)
        return void res.send(await documents.with(edition.id, (doc) => searchIndexOf(doc.ydoc)));
      const files = (await documents.with(edition.id, async (doc) => {
        // The page images of witnesses beside the text, from our IIIF images (readerScans.ts).
        const scans = store
          ? await readerScans(
              store,
              doc.ydoc,
              edition.id,
              (name, use) => documents.with(name, (d) => use(d.ydoc)),
              servedPlace(edition.id),
            )
          : undefined;
        // The text as it is once the scans are in hand: built in one step, the pages agree with each other.
        return readingEdition(doc.ydoc, {
          css: readerAssets().css,
          js: readerAssets().js,
          csl: cslFiles(),
          scans,
        });
      })) as SiteFile[];
      res.send(files.find((f) => f.path === file)?.content ?? "");
    });
  };
}

/**
 * The reading edition over HTTP: /read/<id>/ (index.html), glossary.html and its two static assets,
 * the same files `npx variorum export html` writes.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Express, RequestHandler } from "express";
import { readingEdition, type SiteFile } from "../schema/html.ts";
import { type Access, access } from "./app.ts";
import type { Documents } from "./documents.ts";
import type { Operation } from "./permissions.ts";

const clientDir = join(dirname(fileURLToPath(import.meta.url)), "../client");

let assets: { css: string; js: string } | null = null;

/** The reader's stylesheet and script, shipped with every export (static files, read once). */
export function readerAssets(): { css: string; js: string } {
  assets ??= {
    css: readFileSync(join(clientDir, "reader.css"), "utf8"),
    js: readFileSync(join(clientDir, "reader.js"), "utf8"),
  };
  return assets;
}

const TYPES: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "glossary.html": "text/html; charset=utf-8",
  "reader.css": "text/css; charset=utf-8",
  "reader.js": "text/javascript; charset=utf-8",
};

export function readerRoutes(
  documents: Documents,
): (app: Express, requireAccess: (op: Operation) => RequestHandler) => void {
  return (app, requireAccess) => {
    // Relative links in the pages need the trailing slash; Express matches with or without it.
    app.get("/read/:id", (req, res, next) => {
      if (req.path.endsWith("/")) return next();
      res.redirect(301, `/read/${encodeURIComponent(req.params.id)}/`);
    });
    app.get(["/read/:id/", "/read/:id/:file"], requireAccess("read"), (req, res) => {
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
      const files = documents.with(edition.id, (doc) =>
        readingEdition(doc.ydoc, readerAssets()),
      ) as SiteFile[];
      res.send(files.find((f) => f.path === file)?.content ?? "");
    });
  };
}

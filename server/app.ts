/**
 * The HTTP routes: health, the edition API, the start page and the editor page.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import express, { type Express, type Request, type Response } from "express";
import { escapeXml } from "../schema/escape.ts";
import { readMeta } from "../schema/layout.ts";
import { exportTei } from "../schema/tei.ts";
import { listWitnesses } from "../schema/witnesses.ts";
import { witnessText } from "../schema/witnessText.ts";
import type { Documents } from "./documents.ts";
import type { Log } from "./log.ts";
import type { Store } from "./store.ts";

export interface AppContext {
  store: Store;
  documents: Documents;
  clientDir: string | null;
  log: Log;
}

export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable("x-powered-by");

  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });

  app.get("/favicon.ico", (_req, res) => {
    res.status(204).end();
  });

  app.get("/api/editions", (_req, res) => {
    res.json(ctx.store.listEditions().map((e) => ({ id: e.id, title: e.title })));
  });

  app.get("/api/editions/:id", (req, res) => {
    const edition = ctx.store.getEdition(req.params.id);
    if (!edition) return notFound(res, `unknown edition "${req.params.id}"`);
    const meta = ctx.documents.with(edition.id, (doc) => readMeta(doc.ydoc));
    res.json({ id: edition.id, title: edition.title, published: edition.published, ...meta });
  });

  app.get("/api/editions/:id/tei", (req, res) => {
    const result = ctx.documents.with(req.params.id, (doc) => exportTei(doc.ydoc));
    if (!result) return notFound(res, `unknown edition "${req.params.id}"`);
    for (const w of result.warnings) ctx.log.warn(`TEI export of "${req.params.id}": ${w}`);
    res.type("application/tei+xml; charset=utf-8");
    res.setHeader("Content-Disposition", `inline; filename="${req.params.id}.tei.xml"`);
    res.send(result.xml);
  });

  app.get("/api/editions/:id/witnesses", (req, res) => {
    const list = ctx.documents.with(req.params.id, (doc) => listWitnesses(doc.ydoc));
    if (!list) return notFound(res, `unknown edition "${req.params.id}"`);
    res.json(list);
  });

  app.get("/api/editions/:id/witnesses/:siglum", (req, res) => {
    const result = ctx.documents.with(req.params.id, (doc) => witnessText(doc.ydoc, req.params.siglum));
    if (!result) return notFound(res, `unknown edition "${req.params.id}"`);
    if (!result.ok) return notFound(res, `${result.reason} in edition "${req.params.id}"`);
    res.type("text/plain; charset=utf-8").send(result.text);
  });

  app.get("/", (_req, res) => {
    const items = ctx.store
      .listEditions()
      .map(
        (e) =>
          `<li><a href="/editions/${encodeURIComponent(e.id)}">${escapeXml(e.title)}</a> <span class="id">${escapeXml(e.id)}</span></li>`,
      )
      .join("\n");
    res
      .type("html")
      .send(page("Variorum", `<h1>Variorum</h1>\n<h2>Editions</h2>\n<ul class="editions">\n${items}\n</ul>`));
  });

  app.get("/editions/:id", (req, res) => {
    if (!ctx.store.getEdition(req.params.id)) return notFound(res, `unknown edition "${req.params.id}"`);
    const index = ctx.clientDir ? join(ctx.clientDir, "index.html") : null;
    if (!index || !existsSync(index)) {
      res.status(503).type("text").send("the editor is not built: run `npm run build`\n");
      return;
    }
    res.type("html").send(readFileSync(index, "utf8"));
  });

  if (ctx.clientDir) app.use("/assets", express.static(ctx.clientDir, { index: false }));

  app.use((req: Request, res: Response) => notFound(res, `nothing at ${req.path}`));
  return app;
}

function notFound(res: Response, message: string): void {
  res.status(404).json({ error: message });
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title><link rel="stylesheet" href="/assets/style.css"></head>
<body class="start">${body}</body></html>`;
}

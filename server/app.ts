/**
 * The HTTP routes: health, pages, sign-in, the edition API. Every edition route states the operation it
 * performs; `access` checks the caller's role for it before anything is read.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { readMeta } from "../schema/layout.ts";
import type { Auth, Principal } from "./auth.ts";
import type { AsyncRateLimiter } from "./cluster/sharedRateLimit.ts";
import type { Documents } from "./documents.ts";
import { type Access, access, withArticle } from "./http/access.ts";
import { accountRoutes } from "./http/account.ts";
import { editionRoutes } from "./http/editions.ts";
import { facsimileRoutes } from "./http/facsimile.ts";
import { historyRoutes } from "./http/history.ts";
import { iiifImportRoutes } from "./http/iiifImport.ts";
import { memberRoutes } from "./http/members.ts";
import { ocrRoutes } from "./http/ocr.ts";
import { pageRoutes } from "./http/pages.ts";
import { searchRoutes } from "./http/search.ts";
import { signInRoutes } from "./http/signIn.ts";
import { witnessRoutes } from "./http/witnesses.ts";
import type { Log } from "./log.ts";
import { refusalPage, startPage } from "./pages.ts";
import { can, type Operation } from "./permissions.ts";
import { isOwnOrigin } from "./proxy.ts";
import type { AsyncStore } from "./store/asyncStore.ts";
import { unreachableStore } from "./store/unreachable.ts";
import type { Store } from "./store.ts";
import { editionTei } from "./teiExport.ts";

export interface AppContext {
  store: AsyncStore;
  /**
   * The same store as SQLite's own, for what only SQLite does (its online backup); null on PostgreSQL.
   * No route uses it yet: `npx variorum backup` opens the file itself.
   */
  sqlite?: Store | null;
  documents: Documents;
  auth: Auth;
  clientDir: string | null;
  log: Log;
  signInLimiter: AsyncRateLimiter;
  /** Where people reach this server (VARIORUM_PUBLIC_URL): for absolute links and the origin check. */
  publicUrl?: string | null;
  /** Re-checks open websockets' access now: for a route that has just changed who may do what. */
  revalidateAccess?: () => void;
  /** Routes added by later layers (the reading edition). */
  extend?: (app: Express, access: (op: Operation) => express.RequestHandler) => void;
}

export { type Access, access };

export function createApp(ctx: AppContext): Express {
  const { store, auth } = ctx;
  const app = express();
  app.disable("x-powered-by");
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'"],
          // ProseMirror and y-prosemirror set style attributes (cursor colours); no style sheet is inline.
          "style-src": ["'self'", "'unsafe-inline'"],
          // Page images attached by reference (a IIIF manifest's canvases) are painted from where they are.
          "img-src": ["'self'", "data:", "https:", "http:"],
          "connect-src": ["'self'"],
          "object-src": ["'none'"],
          "base-uri": ["'none'"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: "16kb" }));
  app.use(express.json({ limit: "64kb" }));

  // A cookie-authenticated write must come from our own pages (SameSite is the first line; this the second).
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method === "GET" || req.method === "HEAD" || !auth.usesCookie(req)) return next();
    const origin = req.headers.origin;
    if (origin && !isOwnOrigin(origin, req.headers.host, ctx.publicUrl ?? null)) {
      res.status(403).json({ error: `cross-origin request from ${origin} refused` });
      return;
    }
    next();
  });

  /** Checks that the caller may perform `op` on the edition named by `:id`. */
  const requireAccess =
    (op: Operation): express.RequestHandler =>
    async (req, res, next) => {
      const id = String(req.params.id);
      const edition = await store.getEdition(id);
      const wantsHtml = !req.path.startsWith("/api/");
      const refuse = (status: number, message: string) => {
        if (wantsHtml)
          res
            .status(status)
            .type("html")
            .send(refusalPage(status, message, status === 401));
        else res.status(status).json({ error: message });
      };
      if (!edition) return refuse(404, `unknown edition "${id}"`);
      const principal = await auth.principal(req);
      const role = await auth.roleFor(principal, edition);
      if (!can(role, op)) {
        if (!principal) return refuse(401, `sign in to ${op} edition "${id}": it is not published`);
        return refuse(
          403,
          `${principal.name} is ${role ? withArticle(role) : "not a member"} of edition "${id}" and may not ${op} it`,
        );
      }
      Object.assign(res.locals, { edition, principal, role } satisfies Access);
      next();
    };

  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });
  app.get("/favicon.ico", (_req, res) => {
    res.status(204).end();
  });

  const visibleEditions = async (principal: Principal | null) =>
    (
      await Promise.all(
        (await store.listEditions()).map(async (e) => ({ ...e, role: await auth.roleFor(principal, e) })),
      )
    ).filter((e) => e.role !== null);

  app.get("/", async (req, res) => {
    const principal = await auth.principal(req);
    res.type("html").send(startPage(principal, await visibleEditions(principal)));
  });

  signInRoutes(app, { auth, log: ctx.log, signInLimiter: ctx.signInLimiter });

  // ---- The edition API -----------------------------------------------------------------------------
  app.get("/api/me", async (req, res) => {
    const p = await auth.principal(req);
    res.json({ user: p ? { name: p.name, admin: p.admin } : null });
  });

  app.get("/api/editions", async (req, res) => {
    res.json((await visibleEditions(await auth.principal(req))).map((e) => ({ id: e.id, title: e.title })));
  });

  app.get("/api/editions/:id", requireAccess("read"), async (_req, res) => {
    const { edition, role, principal } = access(res);
    const meta = await ctx.documents.with(edition.id, (doc) => readMeta(doc.ydoc));
    res.json({
      ...meta,
      id: edition.id,
      title: edition.title,
      published: edition.published,
      role,
      user: principal?.displayName ?? null,
    });
  });

  app.get("/api/editions/:id/tei", requireAccess("read"), async (_req, res) => {
    const { edition } = access(res);
    const result = await ctx.documents.with(edition.id, (doc) => editionTei(store, edition.id, doc.ydoc));
    if (!result) return notFound(res, `unknown edition "${edition.id}"`);
    for (const w of result.warnings) ctx.log.warn(`TEI export of "${edition.id}": ${w}`);
    res.type("application/tei+xml; charset=utf-8");
    res.setHeader("Content-Disposition", `inline; filename="${edition.id}.tei.xml"`);
    res.send(result.xml);
  });

  // ---- Editions, members, one's account (server/http/) ----------------------------------------------
  const deps = {
    store,
    documents: ctx.documents,
    auth,
    log: ctx.log,
    requireAccess,
    publicUrl: ctx.publicUrl ?? null,
    revalidateAccess: () => ctx.revalidateAccess?.(),
  };
  editionRoutes(app, deps);
  memberRoutes(app, deps);
  accountRoutes(app, deps);
  searchRoutes(app, deps);
  witnessRoutes(app, deps);
  historyRoutes(app, deps);
  pageRoutes(app, deps);
  iiifImportRoutes(app, deps);
  facsimileRoutes(app, deps);
  ocrRoutes(app, deps);

  // ---- The workbench page and its assets ----------------------------------------------------------
  const clientPage =
    (file: string): express.RequestHandler =>
    (_req, res) => {
      const path = ctx.clientDir ? join(ctx.clientDir, file) : null;
      if (!path || !existsSync(path)) {
        res.status(503).type("text").send("the editor is not built: run `npm run build`\n");
        return;
      }
      res.type("html").send(readFileSync(path, "utf8"));
    };
  app.get("/editions/:id", requireAccess("read"), clientPage("index.html"));
  app.get("/editions/:id/witness/:siglum", requireAccess("read"), clientPage("index.html"));
  app.get("/editions/:id/review/:siglum", requireAccess("read"), clientPage("review.html"));

  ctx.extend?.(app, requireAccess);
  if (ctx.clientDir) app.use("/assets", express.static(ctx.clientDir, { index: false }));

  app.use((req: Request, res: Response) => notFound(res, `nothing at ${req.path}`));
  app.use(
    (error: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
      // A handler (now awaiting the store) that failed after it had answered: only the log can be told.
      if (res.headersSent) {
        ctx.log.error(`request failed after its answer was sent: ${error.stack ?? error.message}`);
        return next(error);
      }
      const unreachable = unreachableStore(error);
      if (unreachable) {
        ctx.log.error(`request failed: ${unreachable}`);
        res.status(503).setHeader("Retry-After", "5").json({ error: unreachable });
        return;
      }
      const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
      if (status === 500) ctx.log.error(`request failed: ${error.stack ?? error.message}`);
      res.status(status).json({ error: status === 413 ? "the request body is too large" : error.message });
    },
  );
  return app;
}

function notFound(res: Response, message: string): void {
  res.status(404).json({ error: message });
}

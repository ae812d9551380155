/**
 * The history of an edition: its changes as working sessions — `GET /api/editions/<id>/history` →
 * sessions, newest first, each with who, when, how many changes and what they did
 * (schema/historySessions.ts), every paragraph named as a person finds it ("By way of a preface, ¶ 3") —
 * the raw attributed changes, and named versions: make one, read its text, compare, restore.
 */
import type { Express } from "express";
import { groupSessions } from "../../schema/historySessions.ts";
import { ROOTS } from "../../schema/layout.ts";
import { blockUnits } from "../../schema/search/units.ts";
import { compareVersions, createVersion, restoreVersion, versionText } from "../history.ts";
import { access, type RouteDeps, refuse } from "./access.ts";

export function historyRoutes(app: Express, deps: RouteDeps): void {
  app.get("/api/editions/:id/history", deps.requireAccess("read"), async (req, res) => {
    const { edition } = access(res);
    const limit = Math.min(Number(req.query.limit ?? 2000) || 2000, 20_000);
    const sessions = groupSessions(await deps.store.changes(edition.id, limit));
    // Where each block is now (a block deleted since is named by its id alone).
    const where = new Map<string, string>();
    await deps.documents.with(edition.id, (doc) =>
      blockUnits(doc.ydoc.getXmlFragment(ROOTS.body), (id, w) => where.set(id, w), undefined, true),
    );
    res.json(
      sessions.map((s) => ({
        ...s,
        summary: {
          ...s.summary,
          blocks: s.summary.blocks.map((b) => ({ ...b, where: where.get(b.id) ?? null })),
        },
      })),
    );
  });

  app.get("/api/editions/:id/changes", deps.requireAccess("read"), async (req, res) => {
    const { edition } = access(res);
    const limit = Math.min(Number(req.query.limit ?? 100) || 100, 1000);
    res.json(await deps.store.changes(edition.id, limit));
  });

  app.get("/api/editions/:id/versions", deps.requireAccess("read"), async (_req, res) => {
    res.json(await deps.store.versions.list(access(res).edition.id));
  });

  app.post("/api/editions/:id/versions", deps.requireAccess("edit"), async (req, res) => {
    const { edition, principal } = access(res);
    const label = String(req.body?.label ?? "").trim();
    if (!label || label.length > 200) {
      res.status(400).json({ error: "a named version needs a label of 1 to 200 characters" });
      return;
    }
    const version = await deps.documents.with(edition.id, (doc) =>
      createVersion(deps.store, doc, label, principal?.displayName ?? null),
    );
    res.status(201).json(version);
  });

  app.get("/api/editions/:id/versions/:vid", deps.requireAccess("read"), async (req, res) => {
    const { edition } = access(res);
    const found = await versionText(deps.store, edition.id, Number(req.params.vid));
    if (!found) return refuse(res, 404, `no version ${req.params.vid} of edition "${edition.id}"`);
    res.json(found);
  });

  app.get("/api/editions/:id/versions/:vid/compare", deps.requireAccess("read"), async (req, res) => {
    const { edition } = access(res);
    const to = req.query.to === undefined || req.query.to === "current" ? "current" : Number(req.query.to);
    const result = await deps.documents.with(edition.id, (doc) =>
      compareVersions(deps.store, doc, Number(req.params.vid), to),
    );
    if (!result?.ok) return refuse(res, 404, result?.reason ?? "no document");
    res.json(result);
  });

  app.post("/api/editions/:id/versions/:vid/restore", deps.requireAccess("edit"), async (req, res) => {
    const { edition, principal } = access(res);
    const result = await deps.documents.with(edition.id, (doc) =>
      restoreVersion(deps.store, doc, Number(req.params.vid), principal?.displayName ?? null),
    );
    if (!result?.ok) return refuse(res, 404, result?.reason ?? "no document");
    res.json(result);
  });
}

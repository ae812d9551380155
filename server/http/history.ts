/**
 * The history as working sessions: `GET /api/editions/<id>/history?limit=<changes>` → sessions, newest
 * first, each with who, when, how many changes and what they did (schema/historySessions.ts); every
 * paragraph named as a person finds it ("By way of a preface, ¶ 3"). Readers of the edition may read it.
 */
import type { Express } from "express";
import { groupSessions } from "../../schema/historySessions.ts";
import { ROOTS } from "../../schema/layout.ts";
import { blockUnits } from "../../schema/search/units.ts";
import { access, type RouteDeps } from "./access.ts";

export function historyRoutes(app: Express, deps: RouteDeps): void {
  app.get("/api/editions/:id/history", deps.requireAccess("read"), (req, res) => {
    const { edition } = access(res);
    const limit = Math.min(Number(req.query.limit ?? 2000) || 2000, 20_000);
    const sessions = groupSessions(deps.store.changes(edition.id, limit));
    // Where each block is now (a block deleted since is named by its id alone).
    const where = new Map<string, string>();
    deps.documents.with(edition.id, (doc) =>
      blockUnits(doc.ydoc.getXmlFragment(ROOTS.body), (id, w) => where.set(id, w)),
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
}

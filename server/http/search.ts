/**
 * Search across one edition: `GET /api/editions/<id>/search?q=<query>` → `[{kind, id, where, snippet,
 * marks, match}]`, best first. Readers of the edition may search it; comments are searched only for its
 * members (a visitor of a published edition does not see the team's discussion).
 */
import type { Express } from "express";
import { EditionSearch, MAX_QUERY } from "../search/editionSearch.ts";
import { access, type RouteDeps, refuse } from "./access.ts";

export function searchRoutes(app: Express, deps: RouteDeps): void {
  const search = new EditionSearch(deps.documents, deps.store);
  app.get("/api/editions/:id/search", deps.requireAccess("read"), async (req, res) => {
    const { edition, principal } = access(res);
    const q = typeof req.query.q === "string" ? req.query.q : "";
    if (!q.trim()) return refuse(res, 400, "a search needs a query: ?q=<words>");
    if (q.length > MAX_QUERY)
      return refuse(res, 400, `a query has at most ${MAX_QUERY} characters (this one ${q.length})`);
    const member =
      !!principal &&
      (principal.admin || (await deps.auth.accounts.getRole(principal.id, edition.id)) !== null);
    res.json(await search.search(edition.id, q, member));
  });
}

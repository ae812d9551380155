/**
 * Members of an edition (its owner's business): who has which role, invitations for a chosen role (listed
 * with their expiry until used; revocable), role changes, removal, and publication. A change of role or a
 * removal takes effect on open websockets at once through the access watch (the store's access epoch
 * moves with every membership and token change).
 */
import type { Express, Request, Response } from "express";
import { isRole } from "../accountStore.ts";
import { access, type RouteDeps, refuse } from "./access.ts";
import { membersPage } from "./membersPage.ts";

/** How long an invitation link stays valid. */
export const INVITE_DAYS = 14;

/** The address people reach this server at (VARIORUM_PUBLIC_URL, or the request's), for links they are sent. */
export function baseUrl(req: Request, publicUrl: string | null): string {
  return publicUrl ? publicUrl.replace(/\/+$/, "") : `${req.protocol}://${req.get("host") ?? "localhost"}`;
}

export function memberRoutes(app: Express, deps: RouteDeps): void {
  const { store, auth, log, requireAccess } = deps;
  const manage = requireAccess("manage");

  app.get("/editions/:id/members", manage, (_req, res) => {
    const { edition, principal } = access(res);
    if (!principal) return refuse(res, 401, "sign in to manage an edition's members");
    res.type("html").send(membersPage(principal, edition));
  });

  app.post("/api/editions/:id/publish", manage, async (req, res) => {
    const { edition, principal } = access(res);
    const published = req.body?.published !== false;
    await store.setPublished(edition.id, published);
    deps.revalidateAccess();
    log.info(`${principal?.name ?? "?"} ${published ? "published" : "unpublished"} edition "${edition.id}"`);
    res.json({ id: edition.id, published });
  });

  app.get("/api/editions/:id/members", manage, async (_req, res) => {
    const { edition } = access(res);
    res.json((await auth.accounts.members(edition.id)).map((m) => ({ name: m.user.name, role: m.role })));
  });

  /** Sets (or, with null, removes) a member's role; refuses to change the caller's own. */
  const setRole = async (req: Request, res: Response, role: unknown): Promise<void> => {
    const { edition, principal } = access(res);
    const user = await auth.accounts.getUserByName(String(req.params.name));
    if (!user) return refuse(res, 404, `no account named "${req.params.name}"`);
    if (role !== null && !isRole(role)) {
      return refuse(
        res,
        400,
        `role "${String(role)}" is not one of owner, editor, reviewer, reader (or null to remove)`,
      );
    }
    if (principal && user.id === principal.id) {
      return refuse(
        res,
        409,
        `${principal.name} may not change their own role in edition "${edition.id}": ask another owner`,
      );
    }
    if (user.admin) {
      return refuse(
        res,
        409,
        `${user.name} owns this Variorum and so every edition; their role cannot change`,
      );
    }
    await auth.accounts.setRole(user.id, edition.id, role);
    deps.revalidateAccess();
    log.info(
      `${principal?.name ?? "?"} ${role ? `made ${user.name} ${role}` : `removed ${user.name}`} of edition "${edition.id}"`,
    );
    res.json({ name: user.name, role });
  };

  app.put("/api/editions/:id/members/:name", manage, (req, res) => setRole(req, res, req.body?.role ?? null));
  app.delete("/api/editions/:id/members/:name", manage, (req, res) => setRole(req, res, null));

  app.post("/api/editions/:id/invites", manage, async (req, res) => {
    const { edition } = access(res);
    const role = req.body?.role;
    if (!isRole(role))
      return refuse(res, 400, "an invitation needs a role: owner, editor, reviewer or reader");
    const expiresAt = Date.now() + INVITE_DAYS * 86_400_000;
    const token = await auth.accounts.createToken({
      kind: "invite",
      userId: null,
      editionId: edition.id,
      role,
      label: `invitation to ${edition.id} as ${role}`,
      expiresAt,
    });
    const url = `/invite/${token}`;
    res.status(201).json({
      url,
      link: `${baseUrl(req, deps.publicUrl)}${url}`,
      role,
      expiresAt,
      expiresInDays: INVITE_DAYS,
    });
  });

  app.get("/api/editions/:id/invites", manage, async (_req, res) => {
    const { edition } = access(res);
    res.json(
      (await auth.accounts.listInvites(edition.id)).map((t) => ({
        id: t.id,
        role: t.role,
        createdAt: t.createdAt,
        expiresAt: t.expiresAt,
      })),
    );
  });

  app.delete("/api/editions/:id/invites/:invite", manage, async (req, res) => {
    const { edition } = access(res);
    const id = Number(req.params.invite);
    const invite = Number.isInteger(id) ? await auth.accounts.getToken(id) : null;
    if (invite?.kind !== "invite" || invite.editionId !== edition.id)
      return refuse(res, 404, `no invitation ${req.params.invite} to edition "${edition.id}"`);
    if (!(await auth.accounts.revokeToken(id)))
      return refuse(res, 409, `invitation ${id} to edition "${edition.id}" was already used or revoked`);
    res.json({ revoked: id });
  });
}

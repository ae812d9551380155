/**
 * What every route module of `server/http/` is given: the store, the open documents, authentication, the
 * log, and `requireAccess`, which checks the caller's role for an operation on the edition named by `:id`
 * and leaves an `Access` for the route.
 */
import type { RequestHandler, Response } from "express";
import type { Role } from "../accountStore.ts";
import type { Auth, Principal } from "../auth.ts";
import type { Documents } from "../documents.ts";
import type { Log } from "../log.ts";
import type { Operation } from "../permissions.ts";
import type { AsyncStore } from "../store/asyncStore.ts";
import type { EditionRecord } from "../store.ts";

/** What `requireAccess` leaves for the route. */
export interface Access {
  edition: EditionRecord;
  principal: Principal | null;
  role: Role | null;
}

export function access(res: Response): Access {
  return res.locals as Access;
}

export interface RouteDeps {
  store: AsyncStore;
  documents: Documents;
  auth: Auth;
  log: Log;
  requireAccess: (op: Operation) => RequestHandler;
  /** Where people reach this server (VARIORUM_PUBLIC_URL), when it is not the request's own host. */
  publicUrl: string | null;
  /**
   * Re-checks the access of every open websocket now: called by a route right after it changed who may
   * do what (the access watch would see it within its interval anyway).
   */
  revalidateAccess: () => void;
}

/** Answers with a JSON error: what was refused and why. */
export function refuse(res: Response, status: number, error: string, details?: string[]): void {
  res.status(status).json(details ? { error, details } : { error });
}

/** "a reviewer", "an editor". */
export function withArticle(role: Role): string {
  return `${role === "owner" || role === "editor" ? "an" : "a"} ${role}`;
}

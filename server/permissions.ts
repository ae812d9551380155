/**
 * Who may do what: the operations of the workbench and the roles allowed each. Every HTTP route and the
 * websocket door ask here; the update check enforces `writableRoots` on every struct a connection sends.
 */
import { ROOTS } from "../schema/layout.ts";
import type { Role } from "./accountStore.ts";

export const OPERATIONS = {
  /** Read the text, its apparatus and exports, the reading edition, the history. */
  read: ["owner", "editor", "reviewer", "reader"],
  /** Comment, and decide on proposed variants (status and type). */
  review: ["owner", "editor", "reviewer"],
  /** Change the text, notes, apparatus, glossary, witnesses; make and restore versions. */
  edit: ["owner", "editor"],
  /** Invite people, change roles, publish. */
  manage: ["owner"],
} as const satisfies Record<string, readonly Role[]>;

export type Operation = keyof typeof OPERATIONS;

export function can(role: Role | null, operation: Operation): boolean {
  return role !== null && (OPERATIONS[operation] as readonly Role[]).includes(role);
}

const REVIEW_ROOTS: ReadonlySet<string> = new Set([ROOTS.decisions, ROOTS.comments]);
// Every root, but not the owner's keys within them (the update check reports those as "meta.publication").
const EDIT_ROOTS: ReadonlySet<string> = new Set(Object.values(ROOTS));
const NONE: ReadonlySet<string> = new Set();

/** The roots of an edition's document a role may change over the websocket (null: all of them). */
export function writableRoots(role: Role): ReadonlySet<string> | null {
  if (can(role, "manage")) return null;
  if (can(role, "edit")) return EDIT_ROOTS;
  if (can(role, "review")) return REVIEW_ROOTS;
  return NONE;
}

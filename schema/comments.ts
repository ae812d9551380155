/**
 * Comment threads on a stretch of the text or on an apparatus entry, in `Y.Map("comments")`:
 *
 *   id → Y.Map { target, status: "open" | "resolved", statusBy, statusAt,
 *                messages: Y.Array<{ author, at, text }> }
 *
 * A text target holds two Yjs relative positions (base64) in the y-prosemirror fragment: they follow the
 * text as it changes around them. When the commented text is deleted the positions collapse: the thread
 * is then *detached* and shown as such, never moved to other text. Messages are appended, never edited,
 * so two people replying at once both keep their reply.
 */
import * as Y from "yjs";
import { ROOTS } from "./layout.ts";

export type CommentTarget =
  | { kind: "text"; start: string; end: string; quote: string }
  | { kind: "entry"; app: string };

export interface CommentMessage {
  author: string | null;
  at: number;
  text: string;
}

export interface Thread {
  id: string;
  target: CommentTarget;
  status: "open" | "resolved";
  statusBy: string | null;
  statusAt: number | null;
  messages: CommentMessage[];
}

export function encodeRelative(rel: Y.RelativePosition): string {
  return btoa(String.fromCharCode(...Y.encodeRelativePosition(rel)));
}

export function decodeRelative(text: string): Y.RelativePosition {
  return Y.decodeRelativePosition(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
}

/** `decodeRelative`, or null when `text` is not an encoded relative position (a thread written wrong). */
export function readRelative(text: unknown): Y.RelativePosition | null {
  if (typeof text !== "string") return null;
  try {
    const rel = decodeRelative(text);
    // Bytes that decode yet name no item and no type (a first byte other than 0–2) are no position:
    // Yjs would throw on placing them.
    return rel.item || rel.type || rel.tname ? rel : null;
  } catch {
    return null;
  }
}

/** Whether a stored value is a thread's target as this module writes it. */
function isTarget(value: unknown): value is CommentTarget {
  const t = value as Record<string, unknown> | null;
  if (typeof t !== "object" || t === null) return false;
  if (t.kind === "entry") return typeof t.app === "string";
  return (
    t.kind === "text" &&
    typeof t.start === "string" &&
    typeof t.end === "string" &&
    typeof t.quote === "string"
  );
}

export function newThreadId(): string {
  return `c-${Math.random().toString(36).slice(2, 10)}`;
}

export function createThread(
  ydoc: Y.Doc,
  id: string,
  target: CommentTarget,
  author: string | null,
  text: string,
  at = Date.now(),
): void {
  const thread = new Y.Map<unknown>();
  ydoc.getMap<Y.Map<unknown>>(ROOTS.comments).set(id, thread);
  thread.set("target", target);
  thread.set("status", "open");
  thread.set("statusBy", author);
  thread.set("statusAt", at);
  const messages = new Y.Array<CommentMessage>();
  thread.set("messages", messages);
  messages.push([{ author, at, text }]);
}

function threadMap(ydoc: Y.Doc, id: string): Y.Map<unknown> {
  const t = ydoc.getMap<Y.Map<unknown>>(ROOTS.comments).get(id);
  if (!t) throw new RangeError(`unknown comment thread "${id}"`);
  return t;
}

export function reply(ydoc: Y.Doc, id: string, author: string | null, text: string, at = Date.now()): void {
  const messages = threadMap(ydoc, id).get("messages");
  if (!(messages instanceof Y.Array)) throw new RangeError(`comment thread "${id}" has no list of messages`);
  messages.push([{ author, at, text }]);
}

export function setThreadStatus(
  ydoc: Y.Doc,
  id: string,
  status: "open" | "resolved",
  by: string | null,
  at = Date.now(),
): void {
  const t = threadMap(ydoc, id);
  t.set("status", status);
  t.set("statusBy", by);
  t.set("statusAt", at);
}

export function readThreads(ydoc: Y.Doc): Thread[] {
  const out: Thread[] = [];
  for (const [id, t] of ydoc.getMap<unknown>(ROOTS.comments)) {
    // Anyone who may comment may write this map: what is not a thread is left out, not read as one.
    if (!(t instanceof Y.Map)) continue;
    const target = t.get("target");
    if (!isTarget(target)) continue;
    const messages = t.get("messages");
    out.push({
      id,
      target,
      status: t.get("status") === "resolved" ? "resolved" : "open",
      statusBy: (t.get("statusBy") as string | null) ?? null,
      statusAt: (t.get("statusAt") as number | null) ?? null,
      messages: (messages instanceof Y.Array ? (messages.toArray() as CommentMessage[]) : [])
        .filter((m) => typeof m === "object" && m !== null && Number.isFinite(m.at))
        .map((m) => ({ ...m })),
    });
  }
  return out.sort((a, b) => (a.messages[0]?.at ?? 0) - (b.messages[0]?.at ?? 0) || a.id.localeCompare(b.id));
}

/**
 * Where a text target stands now: the shared type and the start and end index in it, or null when the
 * commented text is gone (the thread is detached).
 */
export function resolveTextTarget(
  ydoc: Y.Doc,
  target: Extract<CommentTarget, { kind: "text" }>,
): { type: Y.AbstractType<unknown>; start: number; end: number } | null {
  const startAt = readRelative(target.start);
  const endAt = readRelative(target.end);
  if (!startAt || !endAt) return null;
  const start = Y.createAbsolutePositionFromRelativePosition(startAt, ydoc);
  const end = Y.createAbsolutePositionFromRelativePosition(endAt, ydoc);
  if (!start || !end || start.type !== end.type || end.index <= start.index) return null;
  return { type: start.type, start: start.index, end: end.index };
}

/** A text target over `[from, to)` of one Y.XmlText (or Y.Text). */
export function textTarget(type: Y.Text, from: number, to: number): Extract<CommentTarget, { kind: "text" }> {
  return {
    kind: "text",
    // The start sticks to the character after it and the end to the one before it, so that typing at
    // either edge does not widen the comment, and deleting the text collapses it.
    start: encodeRelative(Y.createRelativePositionFromTypeIndex(type, from, 0)),
    end: encodeRelative(Y.createRelativePositionFromTypeIndex(type, to, -1)),
    quote: plainText(type).slice(from, to),
  };
}

/** The characters of a Y.Text or Y.XmlText, without formatting; embedded elements count as one character. */
export function plainText(type: Y.Text): string {
  return (type.toDelta() as { insert: unknown }[])
    .map((d) => (typeof d.insert === "string" ? d.insert : "\uFFFC"))
    .join("");
}

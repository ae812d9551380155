/**
 * Decisions on the apparatus, per reading: each witness's reading in an entry is proposed, accepted or
 * rejected on its own, with who decided and when; an entry's status is derived from its readings'
 * (`entryStatus`, the one function every view and export uses). They live in the `decisions` root, the
 * one reviewers may write besides comments:
 *
 *   Y.Map("decisions"):
 *     "<appId>/<siglum>" → { status, by, at }          one reading's decision (a plain value)
 *     "<appId>"          → Y.Map { type?, typeBy?, typeAt?, status?, by?, at? }
 *
 * Two reviewers deciding two readings write two keys. The entry-level map holds the reviewers' type;
 * its `status`/`by`/`at` are the old, per-entry format of stored documents, read as the decision of
 * every reading that has none of its own (migration on read: nothing is rewritten).
 */
import * as Y from "yjs";
import { ROOTS } from "./layout.ts";
import { isStatus, isVariantType, type Status, type VariantType } from "./vocabulary.ts";

/** One reading's decision as plain values. */
export interface ReadingDecision {
  status: Status;
  by: string | null;
  at: number | null;
}

/** The key of one reading's decision. Sigla and entry ids never contain "/". */
export function decisionKey(appId: string, siglum: string): string {
  return `${appId}/${siglum}`;
}

function decisionsRoot(ydoc: Y.Doc): Y.Map<unknown> {
  return ydoc.getMap<unknown>(ROOTS.decisions);
}

function entryDecision(ydoc: Y.Doc, appId: string): Y.Map<unknown> | null {
  const d = decisionsRoot(ydoc).get(appId);
  return d instanceof Y.Map ? (d as Y.Map<unknown>) : null;
}

/** Records one reading's decision (who and when) without touching the entry's other readings. */
export function decideReading(
  ydoc: Y.Doc,
  appId: string,
  siglum: string,
  status: Status,
  by: string | null,
  at = Date.now(),
): void {
  decisionsRoot(ydoc).set(decisionKey(appId, siglum), { status, by, at });
}

/** The map of an entry's own decisions (its type; its status in the old format), made when missing. */
function entryDecisionMap(ydoc: Y.Doc, appId: string): Y.Map<unknown> {
  const existing = entryDecision(ydoc, appId);
  if (existing) return existing;
  const d = new Y.Map<unknown>();
  decisionsRoot(ydoc).set(appId, d);
  return d;
}

/** Records the reviewers' type of an entry. */
export function decideType(
  ydoc: Y.Doc,
  appId: string,
  type: VariantType,
  by: string | null,
  at = Date.now(),
): void {
  const d = entryDecisionMap(ydoc, appId);
  d.set("type", type);
  d.set("typeBy", by);
  d.set("typeAt", at);
}

/** One reading's decision: its own, else the entry's old-format decision, else proposed. */
export function readingDecision(ydoc: Y.Doc, appId: string, siglum: string): ReadingDecision {
  const own = decisionsRoot(ydoc).get(decisionKey(appId, siglum));
  if (own && typeof own === "object" && !(own instanceof Y.AbstractType)) {
    const o = own as { status?: unknown; by?: unknown; at?: unknown };
    if (isStatus(o.status))
      return {
        status: o.status,
        by: typeof o.by === "string" ? o.by : null,
        at: typeof o.at === "number" ? o.at : null,
      };
  }
  const legacy = entryDecision(ydoc, appId);
  const status = legacy?.get("status");
  if (isStatus(status))
    return {
      status,
      by: (legacy?.get("by") as string | null | undefined) ?? null,
      at: (legacy?.get("at") as number | undefined) ?? null,
    };
  return { status: "proposed", by: null, at: null };
}

/** The status of an entry that has no readings (there is no reading to carry it). */
export function decideEntryWithoutReadings(
  ydoc: Y.Doc,
  appId: string,
  status: Status,
  by: string | null,
  at = Date.now(),
): void {
  const d = entryDecisionMap(ydoc, appId);
  d.set("status", status);
  d.set("by", by);
  d.set("at", at);
}

/** The reviewers' type of an entry, if they set one. */
export function decidedType(
  ydoc: Y.Doc,
  appId: string,
): { type: VariantType; by: string | null; at: number | null } | null {
  const d = entryDecision(ydoc, appId);
  const type = d?.get("type");
  if (!isVariantType(type)) return null;
  // An old-format decision recorded its type with the same by/at as its status.
  return {
    type,
    by: ((d?.get("typeBy") ?? d?.get("by")) as string | null | undefined) ?? null,
    at: ((d?.get("typeAt") ?? d?.get("at")) as number | undefined) ?? null,
  };
}

/** The old-format status of an entry with no readings (nothing else can carry it). */
export function legacyEntryStatus(ydoc: Y.Doc, appId: string): Status | null {
  const status = entryDecision(ydoc, appId)?.get("status");
  return isStatus(status) ? status : null;
}

/** Removes every decision about an entry (its readings' and its type). */
export function clearDecisions(ydoc: Y.Doc, appId: string, sigla: Iterable<string>): void {
  const root = decisionsRoot(ydoc);
  root.delete(appId);
  // By key, not by scanning every decision: deleting entries one by one must not be quadratic.
  for (const siglum of sigla) if (root.has(`${appId}/${siglum}`)) root.delete(`${appId}/${siglum}`);
}

/**
 * An entry's status, derived from its readings' statuses: rejected when every reading is rejected,
 * proposed while any reading awaits a decision, accepted once all are decided and one is accepted.
 * An entry without readings has the status it was given in the old format, else proposed.
 */
export function entryStatus(readings: readonly Status[], fallback: Status = "proposed"): Status {
  if (readings.length === 0) return fallback;
  if (readings.every((s) => s === "rejected")) return "rejected";
  if (readings.some((s) => s === "proposed")) return "proposed";
  return "accepted";
}

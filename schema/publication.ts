/**
 * What is published: the readings the editors decided on. The reading edition, the print edition, the
 * LaTeX source and the static site print accepted readings only, unless the edition's owner chose to
 * include proposed ones (then marked `[proposed]` in every output); rejected readings are never printed.
 * An entry with nothing left to print is left out of the apparatus, and so is a detached entry (its
 * lemma was deleted from the text): both are listed in a report instead, never dropped silently.
 *
 * The settings live in `meta.publication`: `{ includeProposed, lineNumbering }`.
 */
import type { Node } from "prosemirror-model";
import type * as Y from "yjs";
import { type ApparatusEntry, detachedEntries, placements, readEntry } from "./apparatus.ts";
import { ROOTS } from "./layout.ts";
import { readBody } from "./readBody.ts";

/** How an edition is published. */
export interface PublicationSettings {
  /** Print proposed (unreviewed) readings too, marked as proposed. */
  includeProposed: boolean;
  /** Line numbers run through the text, or start again at 1 after each heading. */
  lineNumbering: "continuous" | "section";
}

export const DEFAULT_PUBLICATION: PublicationSettings = {
  includeProposed: false,
  lineNumbering: "continuous",
};

export function readPublicationSettings(ydoc: Y.Doc): PublicationSettings {
  const stored = ydoc.getMap<unknown>(ROOTS.meta).get("publication") as
    | Partial<PublicationSettings>
    | undefined;
  return {
    includeProposed: stored?.includeProposed === true,
    lineNumbering: stored?.lineNumbering === "section" ? "section" : "continuous",
  };
}

/** Validates settings sent by a person; returns the error that names the wrong field, or the settings. */
export function parsePublicationSettings(
  value: unknown,
  current: PublicationSettings,
): { ok: true; settings: PublicationSettings } | { ok: false; error: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, error: "publication settings are an object: {includeProposed, lineNumbering}" };
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v))
    if (key !== "includeProposed" && key !== "lineNumbering")
      return { ok: false, error: `unknown publication setting "${key}" (includeProposed, lineNumbering)` };
  if ("includeProposed" in v && typeof v.includeProposed !== "boolean")
    return { ok: false, error: "includeProposed is true or false" };
  if ("lineNumbering" in v && v.lineNumbering !== "continuous" && v.lineNumbering !== "section")
    return { ok: false, error: 'lineNumbering is "continuous" or "section"' };
  return { ok: true, settings: { ...current, ...(v as Partial<PublicationSettings>) } };
}

export function setPublicationSettings(ydoc: Y.Doc, settings: PublicationSettings): void {
  ydoc.getMap<unknown>(ROOTS.meta).set("publication", { ...settings });
}

/** Why an entry is not in the printed apparatus. */
export type LeftOutReason = "awaiting review" | "rejected" | "detached";

export interface LeftOutEntry {
  id: string;
  /** The lemma's words (for a detached entry, as last recorded). */
  lemma: string;
  reason: LeftOutReason;
  entry: ApparatusEntry;
}

export interface PublicationReport {
  settings: PublicationSettings;
  /** Entries in the printed apparatus. */
  printed: number;
  /** Printed readings that are marked proposed (only when the settings include them). */
  proposedReadings: number;
  /** Readings of printed entries that are not printed (proposed, or rejected). */
  readingsLeftOut: { id: string; siglum: string; status: "proposed" | "rejected" }[];
  /** Entries left out, in document order; detached ones last. */
  leftOut: LeftOutEntry[];
}

/** The entries as published: only their published readings; null where nothing is published. */
export interface Publication {
  settings: PublicationSettings;
  /** The entry as printed, or null if it is left out (unknown, rejected, awaiting review). */
  entry(id: string): ApparatusEntry | null;
  /** Whether a published reading is printed as proposed. */
  proposed(entry: ApparatusEntry, siglum: string): boolean;
  report(): PublicationReport;
}

function published(entry: ApparatusEntry, settings: PublicationSettings): ApparatusEntry | null {
  const readings: ApparatusEntry["readings"] = {};
  for (const [siglum, r] of Object.entries(entry.readings)) {
    const status = entry.decisions[siglum]?.status ?? "proposed";
    if (status === "accepted" || (status === "proposed" && settings.includeProposed)) readings[siglum] = r;
  }
  return Object.keys(readings).length > 0 ? { ...entry, readings } : null;
}

/** The published view of an edition's apparatus over `doc`, the body read from `ydoc`. */
export function publication(ydoc: Y.Doc, doc: Node): Publication {
  const settings = readPublicationSettings(ydoc);
  const full = new Map<string, ApparatusEntry | null>();
  const fullEntry = (id: string) => {
    if (!full.has(id)) full.set(id, readEntry(ydoc, id));
    return full.get(id) ?? null;
  };
  const cache = new Map<string, ApparatusEntry | null>();
  const entry = (id: string) => {
    if (!cache.has(id)) {
      const e = fullEntry(id);
      cache.set(id, e ? published(e, settings) : null);
    }
    return cache.get(id) ?? null;
  };
  return {
    settings,
    entry,
    proposed: (e, siglum) => e.decisions[siglum]?.status === "proposed",
    report() {
      const leftOut: LeftOutEntry[] = [];
      const readingsLeftOut: PublicationReport["readingsLeftOut"] = [];
      let printed = 0;
      let proposedReadings = 0;
      for (const p of placements(doc)) {
        const e = fullEntry(p.id);
        if (!e) continue;
        const shown = entry(p.id);
        if (!shown) {
          leftOut.push({
            id: p.id,
            lemma: p.lemma,
            reason: e.status === "rejected" ? "rejected" : "awaiting review",
            entry: e,
          });
          continue;
        }
        printed++;
        for (const siglum of Object.keys(e.readings)) {
          const status = e.decisions[siglum]?.status ?? "proposed";
          if (!(siglum in shown.readings))
            readingsLeftOut.push({
              id: p.id,
              siglum,
              status: status === "rejected" ? "rejected" : "proposed",
            });
          else if (status === "proposed") proposedReadings++;
        }
      }
      for (const id of detachedEntries(ydoc, doc)) {
        const e = fullEntry(id);
        if (e) leftOut.push({ id, lemma: e.recordedLemma, reason: "detached", entry: e });
      }
      return { settings, printed, proposedReadings, readingsLeftOut, leftOut };
    },
  };
}

/** The publication report of an edition (read without writing to it). */
export function publicationReport(live: Y.Doc): PublicationReport {
  // Read in place: nothing here writes, and the body is read by readBody, which never does.
  const ydoc = live;
  return publication(ydoc, readBody(ydoc)).report();
}

/** The report in words, one line each: what is printed and what is left out, and why. */
export function describeReport(report: PublicationReport): string[] {
  const count = (reason: LeftOutReason) => report.leftOut.filter((l) => l.reason === reason).length;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const lines = [
    `${plural(report.printed, "entry", "entries")} in the apparatus${report.settings.includeProposed ? ` (${plural(report.proposedReadings, "reading", "readings")} marked [proposed])` : ", accepted readings only"}.`,
  ];
  const awaiting = count("awaiting review");
  const rejected = count("rejected");
  const detached = count("detached");
  if (awaiting + rejected + detached === 0) lines.push("No entry is left out.");
  if (awaiting)
    lines.push(
      `${plural(awaiting, "entry", "entries")} left out: awaiting review (no reading accepted yet; this edition prints accepted readings only).`,
    );
  if (rejected) lines.push(`${plural(rejected, "entry", "entries")} left out: rejected.`);
  if (detached)
    lines.push(
      `${plural(detached, "entry", "entries")} left out: detached (the lemma was deleted from the text; listed below).`,
    );
  const rl = report.readingsLeftOut;
  if (rl.length)
    lines.push(
      `${plural(rl.length, "reading", "readings")} of printed entries left out (${rl.filter((r) => r.status === "proposed").length} awaiting review, ${rl.filter((r) => r.status === "rejected").length} rejected).`,
    );
  return lines;
}

/** What the parts of a TEI import share while one file is read. */
import type { Reading, VariantType } from "../apparatus.ts";
import type { FacsimileRead } from "./facsimile.ts";
import type { Report } from "./report.ts";

/** An apparatus entry as read, before it is written into the edition. */
export interface PendingEntry {
  id: string;
  type: VariantType;
  status: "proposed" | "accepted" | "rejected";
  note: string;
  readings: Record<string, Reading>;
  /** Each reading's own decision (`rdg/@type`, `@resp`); readings without one take the entry's status. */
  decisions: Record<string, { status: "proposed" | "accepted" | "rejected"; by: string | null }>;
  lemma: string;
  /** `lem/@wit`, when the file gives it. */
  lemmaWitnesses: string[] | null;
}

export interface ReadState {
  report: Report;
  /** Names of our `respStmt`s by id. */
  respNames: Map<string, string>;
  entries: Map<string, PendingEntry>;
  glossaryIds: Set<string>;
  /** Sigla of the register. */
  sigla: Set<string>;
  /** `listWit[@xml:id]` groups: a pointer to the group stands for each of its witnesses. */
  witnessGroups: Map<string, string[]>;
  /** Sigla an apparatus uses that no `listWit` declares (registered under their siglum). */
  undeclared: Set<string>;
  /** Sources of readings (`rdg/@source`) that are not witnesses, by id → title. */
  sources: Map<string, string>;
  /** The text of each element with an `xml:id` (what a `@source` pointer names). */
  titles: Map<string, string>;
  base: string;
  /** The file's `<facsimile>`, when it has one (`facsimile.ts`). */
  facsimile?: FacsimileRead;
  autoId: number;
  /** How many footnotes the reader is inside: a footnote's words carry no lemma (its entries go detached). */
  inNote: number;
  noteCount: number;
}

export function newState(report: Report): ReadState {
  return {
    report,
    respNames: new Map(),
    entries: new Map(),
    glossaryIds: new Set(),
    sigla: new Set(),
    witnessGroups: new Map(),
    undeclared: new Set(),
    sources: new Map(),
    titles: new Map(),
    base: "",
    autoId: 0,
    inNote: 0,
    noteCount: 0,
  };
}

/** The witnesses a `@wit` names, groups expanded (a group's id stands for every member). */
export function witnessesOf(state: ReadState, wit: string | null): string[] {
  const out: string[] = [];
  for (const token of (wit ?? "").split(/\s+/).filter(Boolean)) {
    const id = token.replace(/^#/, "");
    const members = state.witnessGroups.get(id);
    for (const s of members ?? [id]) if (!out.includes(s)) out.push(s);
  }
  return out;
}

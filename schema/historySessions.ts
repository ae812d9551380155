/**
 * The history as a person reads it: changes grouped into working sessions — one person's consecutive
 * changes with no pause longer than a few minutes — each with what it did, summed: the words added and
 * removed per paragraph, blocks created or deleted, and the entries, glossary entries, decisions,
 * comment threads and witnesses it touched.
 */
import { type BlockChange, type ChangeSummary, emptySummary } from "./changeSummary.ts";

/** One stored change, as the history reads it. */
export interface HistoryChange {
  seq: number;
  user: string | null;
  at: number;
  summary: ChangeSummary | null;
}

/** What kind of thing a session changed, for filtering. */
export type ChangeKind =
  | "text"
  | "apparatus"
  | "glossary"
  | "decisions"
  | "comments"
  | "witnesses"
  | "bibliography"
  | "edition";

export interface HistorySession {
  user: string | null;
  from: number;
  to: number;
  /** Sequence numbers of its first and last change. */
  firstSeq: number;
  lastSeq: number;
  changes: number;
  summary: ChangeSummary;
  /** Changes stored before summaries were kept: counted, not described. */
  undescribed: number;
  kinds: ChangeKind[];
}

/** The pause after which one person's next change starts a new session. */
export const SESSION_GAP_MS = 5 * 60_000;

function merge(into: ChangeSummary, s: ChangeSummary): void {
  const byId = new Map<string, BlockChange>(into.blocks.map((b) => [`${b.id}\u0000${b.inNote}`, b]));
  for (const b of s.blocks) {
    const k = `${b.id}\u0000${b.inNote}`;
    const have = byId.get(k);
    if (!have) {
      const copy = { ...b };
      byId.set(k, copy);
      into.blocks.push(copy);
      continue;
    }
    // Typing a word letter by letter, then deleting part of it, nets out like the text itself.
    let { added, removed } = have;
    const extra = b.removed;
    if (extra && added.endsWith(extra)) added = added.slice(0, added.length - extra.length);
    else removed = `${extra}${removed}`;
    have.added = added + b.added;
    have.removed = removed;
    have.formatted += b.formatted;
  }
  into.blocks = into.blocks.filter((b) => b.added || b.removed || b.formatted);
  into.blocksAdded += s.blocksAdded;
  into.blocksRemoved += s.blocksRemoved;
  for (const key of ["apparatus", "glossary", "decisions", "comments", "witnesses", "bibliography"] as const)
    into[key] = [...new Set([...(into[key] ?? []), ...(s[key] ?? [])])].sort();
  into.meta ||= s.meta;
}

function kindsOf(s: ChangeSummary): ChangeKind[] {
  const kinds: ChangeKind[] = [];
  if (s.blocks.length || s.blocksAdded || s.blocksRemoved) kinds.push("text");
  for (const k of ["apparatus", "glossary", "decisions", "comments", "witnesses", "bibliography"] as const)
    if (s[k]?.length) kinds.push(k);
  if (s.meta) kinds.push("edition");
  return kinds;
}

/** Groups changes (in any order) into sessions, newest first. */
export function groupSessions(changes: HistoryChange[], gapMs = SESSION_GAP_MS): HistorySession[] {
  const sorted = [...changes].sort((a, b) => a.seq - b.seq);
  const sessions: HistorySession[] = [];
  let current: HistorySession | null = null;
  for (const c of sorted) {
    if (!current || current.user !== c.user || c.at - current.to > gapMs) {
      current = {
        user: c.user,
        from: c.at,
        to: c.at,
        firstSeq: c.seq,
        lastSeq: c.seq,
        changes: 0,
        summary: emptySummary(),
        undescribed: 0,
        kinds: [],
      };
      sessions.push(current);
    }
    current.to = c.at;
    current.lastSeq = c.seq;
    current.changes++;
    if (c.summary) merge(current.summary, c.summary);
    else current.undescribed++;
  }
  for (const s of sessions) s.kinds = kindsOf(s.summary);
  return sessions.reverse();
}

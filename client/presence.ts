/**
 * Who a person is to the others: the account's name and a colour derived from it, so that everyone
 * sees the same colour for the same person, and nobody can label their cursor with another name.
 */
export interface Presence {
  name: string;
  color: string;
  role?: string;
  /** Where the person's caret is: the block's id and its first words. */
  where?: { id: string; label: string } | null;
}

const COLORS = ["#b3261e", "#1d6fa5", "#2e7d32", "#8e24aa", "#c66900", "#00838f", "#6d4c41", "#3949ab"];

/** A stable colour for a name (the same in every browser). */
export function colorFor(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return COLORS[hash % COLORS.length] as string;
}

/**
 * Folding for search: case, accents and other combining marks are ignored (é = e, ё = е), but the
 * Russian й stays itself (it is a letter, not и with an accent). The folded text keeps a map back to
 * the original, so that a match found in the folded text is shown and selected in the original.
 */

/** Folded text, and for each of its UTF-16 units the offset in the original it came from. */
export interface Folded {
  text: string;
  /** `from[i]`: the original offset of folded unit `i`; `from[text.length]` is the original length. */
  from: number[];
}

const KEEP = new Map([
  ["й", "й"],
  ["Й", "й"],
]);

// Each character's folding, remembered: normalising one character at a time is what folding a long text
// costs (the reading edition folds every hit it shows), and a text uses few distinct characters.
const FOLDED = new Map<string, string>();

function foldChar(ch: string): string {
  let f = FOLDED.get(ch);
  if (f === undefined) {
    f = KEEP.get(ch) ?? ch.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    if (FOLDED.size < 65536) FOLDED.set(ch, f);
  }
  return f;
}

/** Folds a text and records where each folded unit came from. */
export function foldWithMap(original: string): Folded {
  let text = "";
  const from: number[] = [];
  let offset = 0;
  for (const ch of original) {
    const f = foldChar(ch);
    for (let i = 0; i < f.length; i++) from.push(offset);
    text += f;
    offset += ch.length;
  }
  from.push(offset);
  return { text, from };
}

/** Folds a text (for queries and the index). */
export function fold(text: string): string {
  let out = "";
  for (const ch of text) out += foldChar(ch);
  return out;
}

/** The words of a folded text: runs of letters and digits. */
export function words(folded: string): string[] {
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The character error rate of a reading against the known text: the edit distance (insertions,
 * deletions, substitutions of characters) over the known text's length, after runs of white space are
 * made one space (line breaks are layout, not characters of the text).
 */
export function characterErrorRate(known: string, read: string): number {
  const a = [...known.replace(/\s+/g, " ").trim()];
  const b = [...read.replace(/\s+/g, " ").trim()];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = cur;
  }
  return a.length === 0 ? 0 : (prev[b.length] as number) / a.length;
}

/**
 * Entries that may be one publication twice: the same DOI, or the same title, year and first author
 * once case, accents, punctuation and spacing are set aside. Found, never merged: a person decides.
 */
import { fold } from "../glossary.ts";
import { type CslItem, yearOf } from "./entries.ts";

/** A group of entries that look like one publication, and why. */
export interface DuplicateGroup {
  ids: string[];
  reason: "doi" | "title-year-author";
  /** What they share, as shown to the editor. */
  key: string;
}

/** A DOI as compared: lower case, without a resolver's address or a `doi:` prefix. */
export function normaliseDoi(doi: string): string {
  return doi
    .trim()
    .toLowerCase()
    .replace(/^(https?:\/\/(dx\.)?doi\.org\/|doi:\s*)/, "");
}

/** A title as compared: folded, punctuation and repeated spaces removed. */
export function normaliseTitle(title: string): string {
  return simplify(title);
}

function simplify(text: string): string {
  return fold(text)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

function firstAuthor(item: CslItem): string {
  const name = item.author?.[0] ?? item.editor?.[0];
  return simplify(name?.family ?? name?.literal ?? "");
}

/** Groups of possible duplicates among `items`, each id in at most one group per reason. */
export function findDuplicates(items: CslItem[]): DuplicateGroup[] {
  const groups: DuplicateGroup[] = [];
  const collect = (reason: DuplicateGroup["reason"], keyOf: (item: CslItem) => string | null) => {
    const byKey = new Map<string, string[]>();
    for (const item of items) {
      const key = keyOf(item);
      if (!key) continue;
      byKey.set(key, [...(byKey.get(key) ?? []), item.id]);
    }
    for (const [key, ids] of byKey) if (ids.length > 1) groups.push({ ids: ids.sort(), reason, key });
  };
  collect("doi", (item) => (typeof item.DOI === "string" && item.DOI.trim() ? normaliseDoi(item.DOI) : null));
  collect("title-year-author", (item) => {
    const title = item.title ? normaliseTitle(item.title) : "";
    if (!title) return null;
    return `${title} · ${yearOf(item) || "no year"} · ${firstAuthor(item) || "no author"}`;
  });
  return groups;
}

/** Which existing entries an incoming item would duplicate (ids), by the same rules. */
export function duplicatesOf(item: CslItem, existing: CslItem[]): string[] {
  const probe = { ...item, id: "\u0000incoming" };
  return findDuplicates([...existing.filter((e) => e.id !== item.id), probe])
    .filter((g) => g.ids.includes(probe.id))
    .flatMap((g) => g.ids.filter((id) => id !== probe.id))
    .filter((id, i, all) => all.indexOf(id) === i);
}

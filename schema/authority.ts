/**
 * Authority identifiers on glossary entries: an entry's person, organisation or place (or other thing)
 * in Wikidata, VIAF, the GND and GeoNames. Each id is typed and checked by its authority's pattern; it is
 * entered by a person from a source, never guessed or generated. Shown as links to the authority's page,
 * exported as TEI `<idno type="…">` inside the entry (`tei/exportStandOff.ts`), read back on import.
 */

/** The authorities, in the order they are shown. */
export const AUTHORITY_KEYS = ["wikidata", "viaf", "gnd", "geonames"] as const;
export type AuthorityKey = (typeof AUTHORITY_KEYS)[number];

export interface Authority {
  /** The authority's name, as people write it. */
  label: string;
  /** The whole id, anchored. */
  pattern: RegExp;
  /** The same pattern for an HTML input's `pattern` attribute (anchored there implicitly). */
  inputPattern: string;
  /** The pattern in words, for errors and hints. */
  rule: string;
  /** `idno/@type` in TEI. */
  teiType: string;
  /** The page of an id. */
  url(id: string): string;
}

export const AUTHORITIES: Record<AuthorityKey, Authority> = {
  wikidata: {
    label: "Wikidata",
    pattern: /^Q[1-9][0-9]*$/,
    inputPattern: "Q[1-9][0-9]*",
    rule: "a Wikidata id is Q then digits, the first not 0 (Q42)",
    teiType: "wikidata",
    url: (id) => `https://www.wikidata.org/wiki/${id}`,
  },
  viaf: {
    label: "VIAF",
    pattern: /^[1-9][0-9]*$/,
    inputPattern: "[1-9][0-9]*",
    rule: "a VIAF id is digits, the first not 0",
    teiType: "VIAF",
    url: (id) => `https://viaf.org/viaf/${id}`,
  },
  // The DNB's rule: a number of up to ten digits without leading zeros, then its check digit, 0–9 or X;
  // numbers from the former GKD and SWD files write a hyphen before the check digit (4003031-8).
  gnd: {
    label: "GND",
    pattern: /^[1-9][0-9]{0,9}-?[0-9X]$/,
    inputPattern: "[1-9][0-9]{0,9}-?[0-9X]",
    rule: "a GND id is up to ten digits, the first not 0, then a check digit 0–9 or X, perhaps after a hyphen (118540238, 4003031-8)",
    teiType: "GND",
    url: (id) => `https://d-nb.info/gnd/${id}`,
  },
  geonames: {
    label: "GeoNames",
    pattern: /^[1-9][0-9]*$/,
    inputPattern: "[1-9][0-9]*",
    rule: "a GeoNames id is digits, the first not 0",
    teiType: "GeoNames",
    url: (id) => `https://www.geonames.org/${id}`,
  },
};

/** An entry's ids, by authority ("" where it has none). */
export type AuthorityIds = Record<AuthorityKey, string>;

/** Why an id is not one of its authority's, naming the entry and the rule; null if it is (or is empty). */
export function authorityError(key: AuthorityKey, id: string, entry: string): string | null {
  const a = AUTHORITIES[key];
  if (id === "" || a.pattern.test(id)) return null;
  return `${a.label} id "${id}" on glossary entry ${entry} is not one: ${a.rule}`;
}

// The addresses an authority gives its ids under (old and new forms), each with the id as its group.
const ADDRESSES: [AuthorityKey, RegExp][] = [
  ["wikidata", /^https?:\/\/(?:www\.)?wikidata\.org\/(?:wiki|entity)\/(Q[0-9]+)\/?$/],
  ["viaf", /^https?:\/\/(?:www\.)?viaf\.org\/viaf\/([0-9]+)\/?$/],
  ["gnd", /^https?:\/\/d-nb\.info\/gnd\/([0-9X-]+)\/?$/],
  ["geonames", /^https?:\/\/(?:www\.|sws\.)?geonames\.org\/([0-9]+)(?:\/[^/]*)?\/?$/],
];

/**
 * The authority and id an address names (`https://d-nb.info/gnd/118540238`), as other TEI files often
 * write them (`<idno type="URI">`); null if it is none of theirs or its id breaks the pattern.
 */
export function authorityFromAddress(address: string): { key: AuthorityKey; id: string } | null {
  for (const [key, re] of ADDRESSES) {
    const id = re.exec(address.trim())?.[1];
    if (id !== undefined && AUTHORITIES[key].pattern.test(id)) return { key, id };
  }
  return null;
}

/** The authority whose TEI `idno/@type` this is (case aside); undefined for any other. */
export function authorityOfTeiType(type: string): AuthorityKey | undefined {
  return AUTHORITY_KEYS.find((k) => AUTHORITIES[k].teiType.toLowerCase() === type.toLowerCase());
}

/** An entry's ids as links: label, id and the authority's page, in the authorities' order. */
export function authorityLinks(ids: Partial<AuthorityIds>): { label: string; id: string; url: string }[] {
  return AUTHORITY_KEYS.filter((k) => ids[k] && AUTHORITIES[k].pattern.test(ids[k] as string)).map((k) => {
    const id = ids[k] as string;
    return { label: AUTHORITIES[k].label, id, url: AUTHORITIES[k].url(id) };
  });
}

/**
 * The ids stored on an entry, as its record holds them: Wikidata and VIAF always ("" for none), GND and
 * GeoNames only when it has one. An id that breaks its pattern (written by some other client) is left
 * where it is stored and not read, so that the entry itself still reads.
 */
export function storedAuthorityIds(get: (key: AuthorityKey) => unknown): {
  wikidata: string;
  viaf: string;
  gnd?: string;
  geonames?: string;
} {
  const valid = (k: AuthorityKey) => {
    const v = get(k);
    return typeof v === "string" && AUTHORITIES[k].pattern.test(v) ? v : "";
  };
  const gnd = valid("gnd");
  const geonames = valid("geonames");
  return {
    wikidata: valid("wikidata"),
    viaf: valid("viaf"),
    ...(gnd ? { gnd } : {}),
    ...(geonames ? { geonames } : {}),
  };
}

/** A zod check for a record with ids: an issue on each id that breaks its pattern, naming the entry. */
export function authorityCheck(
  record: { id: string } & Partial<AuthorityIds>,
  ctx: { addIssue(issue: { code: "custom"; path: string[]; message: string }): void },
): void {
  for (const k of AUTHORITY_KEYS) {
    const error = authorityError(k, record[k] ?? "", record.id);
    if (error) ctx.addIssue({ code: "custom", path: [k], message: error });
  }
}

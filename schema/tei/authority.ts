/**
 * Authority ids in TEI: `<idno type="wikidata|VIAF|GND|GeoNames">` inside a glossary entry's element
 * (`person`, `org`, `place`, `item`), written and read back; another file's `<idno type="URI">` holding an
 * authority's address is read as that id. An id that breaks its authority's pattern is not imported, and
 * the report says which entry and which rule.
 */
import type { Element } from "@xmldom/xmldom";
import {
  AUTHORITIES,
  AUTHORITY_KEYS,
  type AuthorityIds,
  authorityError,
  authorityFromAddress,
  authorityOfTeiType,
  storedAuthorityIds,
} from "../authority.ts";
import { escapeXml as x } from "../escape.ts";
import { children, text } from "./dom.ts";
import type { ReadState } from "./state.ts";

/** The entry's ids as `idno` lines, in the authorities' order. */
export function writeAuthorityIdnos(ids: Partial<AuthorityIds>, pad: string): string[] {
  return AUTHORITY_KEYS.filter((k) => ids[k]).map(
    (k) => `${pad}<idno type="${AUTHORITIES[k].teiType}">${x(ids[k] as string)}</idno>`,
  );
}

/** The ids of an entry's element, each checked by its pattern; `entryId` names the entry in the report. */
export function readAuthorityIdnos(
  state: ReadState,
  el: Element,
  entryId: string,
): ReturnType<typeof storedAuthorityIds> {
  const found = new Map<string, string>();
  for (const idno of children(el).filter((c) => c.localName === "idno")) {
    const type = idno.getAttribute("type") ?? "";
    const key = authorityOfTeiType(type);
    const what = `<idno type="${type}">`;
    const id = text(idno).trim();
    // Another file's way: the id's address, as a URI.
    const address = !key && /^(uri|url)?$/i.test(type) ? authorityFromAddress(id) : null;
    if (address && !found.has(address.key)) {
      found.set(address.key, address.id);
      state.report.converted(idno, what, `a ${AUTHORITIES[address.key].label} id, read from its address`);
      continue;
    }
    if (!key) {
      state.report.dropped(idno, what, "not an authority Variorum keeps (wikidata, VIAF, GND, GeoNames)");
      continue;
    }
    const error = authorityError(key, id, entryId);
    if (error) state.report.dropped(idno, what, error);
    else if (found.has(key)) state.report.dropped(idno, what, "a second id of the same authority", id);
    else {
      found.set(key, id);
      state.report.kept(idno, what, `a ${AUTHORITIES[key].label} id of a glossary entry`);
    }
  }
  return storedAuthorityIds((k) => found.get(k));
}

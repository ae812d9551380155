/**
 * Authority ids of a glossary entry in the workbench: the fields a person enters them in (checked by
 * each authority's pattern before anything is stored), and the ids as links to the authorities' pages.
 */
import {
  AUTHORITIES,
  AUTHORITY_KEYS,
  type AuthorityIds,
  type AuthorityKey,
  authorityError,
  authorityLinks,
} from "../schema/authority.ts";
import type { GlossaryRecord } from "../schema/glossary.ts";
import { h } from "./dom.ts";

/** The ids as links ("Wikidata Q42 · VIAF 113230702"); null when the entry has none. */
export function authorityLinkLine(ids: Partial<AuthorityIds>): HTMLElement | null {
  const links = authorityLinks(ids);
  if (links.length === 0) return null;
  const line = h("p", { className: "authority-ids" });
  links.forEach((l, i) => {
    if (i > 0) line.append(" · ");
    line.append(`${l.label} `, h("a", { href: l.url, target: "_blank", rel: "noopener noreferrer" }, l.id));
  });
  return line;
}

/**
 * The fields of an entry's ids. An id is stored only if it fits its pattern; otherwise `say` gets the
 * error (naming the entry and the rule) and the field stays as typed, marked invalid. GeoNames, a
 * gazetteer, is offered for places (and for any entry that has one).
 */
export function authorityFields(
  entry: GlossaryRecord,
  set: (key: AuthorityKey, value: string) => void,
  say: (message: string) => void,
): HTMLElement {
  const keys = AUTHORITY_KEYS.filter((k) => k !== "geonames" || entry.kind === "place" || entry.geonames);
  const box = h(
    "fieldset",
    { className: "authority-fields" },
    h("legend", {}, "Authority ids (from a source; never guessed)"),
  );
  for (const key of keys) {
    const a = AUTHORITIES[key];
    const input = h("input", {
      value: entry[key] ?? "",
      pattern: a.inputPattern,
      title: a.rule,
      spellcheck: false,
      "aria-label": `${a.label} id`,
      onchange: () => {
        const value = input.value.trim();
        const error = authorityError(key, value, entry.id);
        input.setCustomValidity(error ?? "");
        input.toggleAttribute("aria-invalid", error !== null);
        if (error) say(error);
        else {
          set(key, value);
          say(
            value
              ? `${a.label} id of ${entry.headword} set to ${value}`
              : `${a.label} id of ${entry.headword} removed`,
          );
        }
      },
    });
    box.append(h("label", { className: "block" }, `${a.label} `, input));
  }
  const links = authorityLinkLine(entry);
  if (links) box.append(links);
  return box;
}

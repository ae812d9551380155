import type { Mark } from "prosemirror-model";
import type * as Y from "yjs";
import { allCitingTargets } from "../bibliography/citations.ts";
import {
  type CslDate,
  type CslItem,
  type CslName,
  listBibliography,
  readBibEntry,
} from "../bibliography/entries.ts";
import { escapeXml as x } from "../escape.ts";

/** The xml:id of an entry. */
export function bibXmlId(id: string): string {
  return `bib-${id}`;
}

// Types whose title is part of a larger publication (`analytic`), the container then in `monogr`.
const ANALYTIC: ReadonlySet<string> = new Set([
  "article",
  "article-journal",
  "article-magazine",
  "article-newspaper",
  "chapter",
  "entry",
  "entry-dictionary",
  "entry-encyclopedia",
  "paper-conference",
  "post",
  "post-weblog",
  "review",
  "review-book",
  "webpage",
]);
const MAPPED = new Set([
  "id",
  "type",
  "title",
  "author",
  "editor",
  "translator",
  "container-title",
  "issued",
  "volume",
  "issue",
  "page",
  "publisher",
  "publisher-place",
  "URL",
  "DOI",
  "ISBN",
]);

// ---------------------------------------------------------------- export

/**
 * The `standOff` lines of the bibliography and of the citations beside the text (none if empty).
 * `writtenApps`: the apparatus entries the export writes (others' citations would point nowhere).
 */
export function writeBibliographyStandOff(ydoc: Y.Doc, writtenApps?: ReadonlySet<string>): string[] {
  const items = listBibliography(ydoc);
  const out: string[] = [];
  if (items.length > 0) {
    out.push('<listBibl type="bibliography">');
    for (const item of items) out.push(...biblStruct(item).map((l) => `  ${l}`));
    out.push("</listBibl>");
  }
  const known = new Set(items.map((i) => i.id));
  const targets = allCitingTargets(ydoc);
  const lines: string[] = [];
  for (const { target, citations } of targets) {
    if (target.kind === "apparatus" && writtenApps && !writtenApps.has(target.id)) continue;
    for (const c of citations) {
      if (!known.has(c.entry)) continue;
      lines.push(
        `  <bibl type="${target.kind}" corresp="#${x(target.id)}"><ref target="#${x(bibXmlId(c.entry))}"/>${citedRange(c)}</bibl>`,
      );
    }
  }
  if (lines.length > 0) out.push('<listBibl type="citations">', ...lines, "</listBibl>");
  return out;
}

function citedRange(c: { locator: string; label: string }): string {
  return c.locator ? `<citedRange unit="${x(c.label)}">${x(c.locator)}</citedRange>` : "";
}

/**
 * The opening and closing of a `cite` mark in the text, or null (with a warning) when the entry is not
 * in the bibliography: its words are then exported without the citation.
 */
export function citeElement(mark: Mark, ydoc: Y.Doc, warnings: string[]): [string, string] | null {
  const entry = String(mark.attrs.entry ?? "");
  if (!readBibEntry(ydoc, entry)) {
    warnings.push(
      `a citation of bibliography entry "${entry}", which the bibliography does not hold: its words are exported without it`,
    );
    return null;
  }
  const range = citedRange({
    locator: String(mark.attrs.locator ?? ""),
    label: String(mark.attrs.label ?? "page"),
  });
  return [`<bibl><ref target="#${x(bibXmlId(entry))}">`, `</ref>${range}</bibl>`];
}

function biblStruct(item: CslItem): string[] {
  const analytic = ANALYTIC.has(item.type) && typeof item["container-title"] === "string";
  const lines = [`<biblStruct xml:id="${x(bibXmlId(item.id))}" type="${x(item.type)}">`];
  const title = (level: string, value: unknown) =>
    typeof value === "string" && value
      ? `<title level="${level}">${x(value)}</title>`
      : `<title level="${level}"/>`;
  const people = (tag: string, names: CslName[] | undefined, role = "") =>
    (names ?? []).map((n) => `<${tag}${role ? ` role="${role}"` : ""}>${nameXml(n)}</${tag}>`);
  if (analytic) {
    lines.push("  <analytic>");
    for (const l of people("author", item.author)) lines.push(`    ${l}`);
    lines.push(`    ${title("a", item.title)}`);
    lines.push("  </analytic>");
  }
  lines.push("  <monogr>");
  if (!analytic) for (const l of people("author", item.author)) lines.push(`    ${l}`);
  const monogrLevel = analytic
    ? item.type === "chapter" || item.type.startsWith("entry") || item.type === "paper-conference"
      ? "m"
      : "j"
    : item.type === "periodical"
      ? "j"
      : "m";
  lines.push(`    ${title(monogrLevel, analytic ? item["container-title"] : item.title)}`);
  for (const [type, key] of [
    ["DOI", "DOI"],
    ["ISBN", "ISBN"],
  ] as const) {
    const v = item[key];
    if (typeof v === "string" || typeof v === "number")
      lines.push(`    <idno type="${type}">${x(String(v))}</idno>`);
  }
  for (const l of people("editor", item.editor)) lines.push(`    ${l}`);
  for (const l of people("editor", item.translator, "translator")) lines.push(`    ${l}`);
  if (!analytic && typeof item["container-title"] === "string")
    lines.push(`    <note type="csl" subtype="container-title">${x(item["container-title"])}</note>`);
  const imprint: string[] = [];
  for (const unit of ["volume", "issue", "page"] as const) {
    const v = item[unit];
    if (typeof v === "string" || typeof v === "number")
      imprint.push(`<biblScope unit="${unit}">${x(String(v))}</biblScope>`);
  }
  const place = item["publisher-place"];
  if (typeof place === "string" || typeof place === "number")
    imprint.push(`<pubPlace>${x(String(place))}</pubPlace>`);
  const publisher = item.publisher;
  if (typeof publisher === "string" || typeof publisher === "number")
    imprint.push(`<publisher>${x(String(publisher))}</publisher>`);
  imprint.push(dateXml(item.issued));
  lines.push("    <imprint>", ...imprint.map((l) => `      ${l}`), "    </imprint>");
  lines.push("  </monogr>");
  if (typeof item.URL === "string") lines.push(`  <ptr target="${x(item.URL)}"/>`);
  for (const key of Object.keys(item).sort()) {
    if (MAPPED.has(key)) continue;
    if (key === "container-title" && !analytic) continue;
    const value = item[key];
    if (value === undefined) continue;
    const json = typeof value !== "string";
    lines.push(
      `  <note type="${json ? "csl-json" : "csl"}" subtype="${x(key)}">${x(json ? JSON.stringify(value) : value)}</note>`,
    );
  }
  lines.push("</biblStruct>");
  return lines;
}

function nameXml(n: CslName): string {
  if (n.literal) return `<name>${x(n.literal)}</name>`;
  const parts = [
    n.given ? `<forename>${x(n.given)}</forename>` : "",
    n["dropping-particle"] ? `<nameLink type="dropping">${x(n["dropping-particle"])}</nameLink>` : "",
    n["non-dropping-particle"] ? `<nameLink>${x(n["non-dropping-particle"])}</nameLink>` : "",
    n.family ? `<surname>${x(n.family)}</surname>` : "",
    n.suffix ? `<roleName type="suffix">${x(n.suffix)}</roleName>` : "",
  ];
  return `<persName>${parts.join("")}</persName>`;
}

function dateXml(d: CslDate | undefined): string {
  const parts = d?.["date-parts"]?.[0];
  if (parts && parts.length > 0 && parts.every((p) => /^-?\d+$/.test(String(p)))) {
    const [y, m, day] = parts.map((p) => Number(p)) as [number, number | undefined, number | undefined];
    // @when is an XML Schema date: a year of 1–9999, a month of 1–12, a day of 1–31; anything else (a
    // year BC, a thirteenth month) goes out as words, so that the export stays valid.
    const inRange = (n: number | undefined, lo: number, hi: number) =>
      n === undefined || (n >= lo && n <= hi);
    if (!inRange(y, 1, 9999) || !inRange(m, 1, 12) || !inRange(day, 1, 31))
      return `<date>${x(parts.join("-"))}</date>`;
    const pad = (n: number) => String(n).padStart(2, "0");
    const when = [String(y).padStart(4, "0"), m ? pad(m) : null, m && day ? pad(day) : null]
      .filter(Boolean)
      .join("-");
    return `<date when="${when}"/>`;
  }
  const words = d?.literal ?? d?.raw;
  return words ? `<date>${x(words)}</date>` : "<date/>";
}

// ---------------------------------------------------------------- import

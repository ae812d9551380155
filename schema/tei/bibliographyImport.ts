/**
 * The bibliography of an imported TEI file read back (the other way of `bibliography.ts`): every
 * `listBibl` of `standOff` (entries as `biblStruct` or `bibl`, the citations of glossary entries,
 * witnesses and apparatus entries), and the `cite` mark of a `bibl` in the text.
 */
import type { Element } from "@xmldom/xmldom";
import type { Mark } from "prosemirror-model";
import type * as Y from "yjs";
import { addCitation, type Citation, type CitingTarget, LOCATOR_LABELS } from "../bibliography/citations.ts";
import {
  CSL_TYPES,
  type CslDate,
  type CslItem,
  type CslName,
  type CslType,
  ENTRY_ID,
  entryProblem,
  setBibEntry,
} from "../bibliography/entries.ts";
import { schema } from "../schema.ts";
import { children, text } from "./dom.ts";
import type { Report } from "./report.ts";

/** What the `standOff` of an imported file holds of a bibliography. */
export interface ReadBibliography {
  items: CslItem[];
  citations: { target: CitingTarget; citation: Citation }[];
}

/** Reads every `listBibl` of `standOff`; what it cannot read is reported, never silently lost. */
export function readBibliographyStandOff(report: Report, standOff: Element | null): ReadBibliography {
  const out: ReadBibliography = { items: [], citations: [] };
  let auto = 0;
  for (const list of children(standOff)) {
    if (list.localName !== "listBibl") continue;
    if (list.getAttribute("type") === "citations") {
      for (const b of children(list)) readTargetCitation(report, b, out);
      continue;
    }
    report.kept(list, "<listBibl>", "the bibliography");
    for (const el of children(list)) {
      if (el.localName !== "biblStruct" && el.localName !== "bibl") {
        report.dropped(el, `<${el.localName}> in <listBibl>`, "not represented");
        continue;
      }
      const rawId = (el.getAttribute("xml:id") ?? "").replace(/^bib-/, "");
      const id = ENTRY_ID.test(rawId) ? rawId : `imported-${++auto}`;
      const item = el.localName === "biblStruct" ? readBiblStruct(el, id) : readBibl(el, id);
      if (id !== rawId || el.localName === "bibl")
        report.converted(el, `<${el.localName}>`, "a bibliography entry (CSL-JSON)", rawId || undefined);
      else report.kept(el, "<biblStruct>", "a bibliography entry");
      const problem = entryProblem(item);
      if (problem) report.dropped(el, `<${el.localName}>`, problem);
      else out.items.push(item);
    }
  }
  return out;
}

function readTargetCitation(report: Report, b: Element, out: ReadBibliography): void {
  const kind = b.getAttribute("type");
  const id = (b.getAttribute("corresp") ?? "").replace(/^#/, "");
  const ref = children(b).find((c) => c.localName === "ref");
  const entry = (ref?.getAttribute("target") ?? "").replace(/^#bib-/, "");
  if ((kind !== "glossary" && kind !== "witness" && kind !== "apparatus") || !id || !ENTRY_ID.test(entry)) {
    report.dropped(
      b,
      '<bibl> in <listBibl type="citations">',
      "it names no glossary entry, witness or apparatus entry and bibliography entry",
    );
    return;
  }
  report.kept(
    b,
    '<bibl> in <listBibl type="citations">',
    "a citation of a glossary entry, witness or apparatus entry",
  );
  out.citations.push({ target: { kind, id }, citation: citationOf(b, entry) });
}

function citationOf(bibl: Element, entry: string): Citation {
  const range = children(bibl).find((c) => c.localName === "citedRange");
  const unit = range?.getAttribute("unit") ?? "page";
  const label = (LOCATOR_LABELS as readonly string[]).includes(unit) ? (unit as Citation["label"]) : "page";
  return { entry, locator: text(range ?? null), label };
}

function readBiblStruct(el: Element, id: string): CslItem {
  const analytic = children(el).find((c) => c.localName === "analytic") ?? null;
  const monogr = children(el).find((c) => c.localName === "monogr") ?? null;
  const kids = (p: Element | null, name: string) => children(p).filter((c) => c.localName === name);
  const titleOf = (p: Element | null) => text(kids(p, "title")[0] ?? null);
  const typeAttr = el.getAttribute("type") ?? "";
  const type: CslType = (CSL_TYPES as readonly string[]).includes(typeAttr)
    ? (typeAttr as CslType)
    : analytic
      ? "article-journal"
      : "book";
  const item: CslItem = { id, type };
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0))
      item[key] = value;
  };
  const names = (els: Element[]) => els.map(readName).filter((n): n is CslName => n !== null);
  set("title", analytic ? titleOf(analytic) : titleOf(monogr));
  set("author", names(kids(analytic ?? monogr, "author")));
  if (analytic) set("container-title", titleOf(monogr));
  const editors = kids(monogr, "editor");
  set("editor", names(editors.filter((e) => e.getAttribute("role") !== "translator")));
  set("translator", names(editors.filter((e) => e.getAttribute("role") === "translator")));
  const imprint = kids(monogr, "imprint")[0] ?? null;
  for (const scope of kids(imprint, "biblScope")) {
    const unit = scope.getAttribute("unit");
    if (unit === "volume" || unit === "issue" || unit === "page") set(unit, text(scope));
  }
  set("publisher-place", text(kids(imprint, "pubPlace")[0] ?? null));
  set("publisher", text(kids(imprint, "publisher")[0] ?? null));
  set("issued", readDate(kids(imprint, "date")[0] ?? null));
  for (const idno of kids(monogr, "idno")) {
    const t = idno.getAttribute("type");
    if (t === "DOI" || t === "ISBN") set(t, text(idno));
  }
  set("URL", kids(el, "ptr")[0]?.getAttribute("target") ?? "");
  for (const note of [...kids(el, "note"), ...kids(monogr, "note")]) {
    const field = note.getAttribute("subtype") ?? "";
    const kind = note.getAttribute("type");
    if (!field || (kind !== "csl" && kind !== "csl-json")) {
      set("note", [item.note, text(note)].filter(Boolean).join(" "));
      continue;
    }
    if (kind === "csl") set(field, note.textContent ?? "");
    else {
      try {
        set(field, JSON.parse(note.textContent ?? ""));
      } catch {
        set(field, note.textContent ?? "");
      }
    }
  }
  return item;
}

function readBibl(el: Element, id: string): CslItem {
  const kids = (name: string) => children(el).filter((c) => c.localName === name);
  const item: CslItem = { id, type: "document" };
  const title = text(kids("title")[0] ?? null);
  if (title) item.title = title;
  const authors = kids("author")
    .map(readName)
    .filter((n): n is CslName => n !== null);
  if (authors.length) item.author = authors;
  const date = readDate(kids("date")[0] ?? null);
  if (date) item.issued = date;
  const publisher = text(kids("publisher")[0] ?? null);
  if (publisher) item.publisher = publisher;
  return item;
}

function readName(el: Element): CslName | null {
  const pers = children(el).find((c) => c.localName === "persName");
  const lit = children(el).find((c) => c.localName === "name" || c.localName === "orgName");
  if (!pers) {
    const literal = text(lit ?? el);
    return literal ? { literal } : null;
  }
  const part = (name: string, type?: string) =>
    text(
      children(pers).find(
        (c) =>
          c.localName === name &&
          (type === undefined ? !c.getAttribute("type") : c.getAttribute("type") === type),
      ) ?? null,
    );
  const name: CslName = {};
  const given = part("forename");
  const family = part("surname");
  const dropping = part("nameLink", "dropping");
  const nonDropping = part("nameLink");
  const suffix = part("roleName", "suffix");
  if (family) name.family = family;
  if (given) name.given = given;
  if (nonDropping) name["non-dropping-particle"] = nonDropping;
  if (dropping) name["dropping-particle"] = dropping;
  if (suffix) name.suffix = suffix;
  if (!name.family) {
    const literal = text(pers);
    return literal ? { literal } : null;
  }
  return name;
}

function readDate(el: Element | null): CslDate | undefined {
  if (!el) return undefined;
  const when = el.getAttribute("when") ?? "";
  const m = /^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(when);
  if (m) return { "date-parts": [[m[1], m[2], m[3]].filter(Boolean).map((p) => Number(p))] };
  const words = text(el);
  return words ? { literal: words } : undefined;
}

/** The `cite` mark of a `<bibl><ref target="#bib-…">…</ref><citedRange/></bibl>` in the text; null if it is not one. */
export function readCiteBibl(report: Report, el: Element): { ref: Element; mark: Mark } | null {
  const ref = children(el).find((c) => c.localName === "ref");
  const target = ref?.getAttribute("target") ?? "";
  const others = children(el).filter((c) => c.localName !== "ref" && c.localName !== "citedRange");
  if (!ref || !target.startsWith("#bib-") || others.length > 0) return null;
  const entry = target.slice("#bib-".length);
  if (!ENTRY_ID.test(entry)) return null;
  report.kept(el, "<bibl> in the text", "a citation of a bibliography entry");
  const c = citationOf(el, entry);
  return { ref, mark: schema.marks.cite.create({ entry: c.entry, locator: c.locator, label: c.label }) };
}

/** Writes what `readBibliographyStandOff` read into a new document (after its glossary, witnesses, entries). */
export function writeImportedBibliography(ydoc: Y.Doc, read: ReadBibliography, report: Report): void {
  for (const item of read.items) setBibEntry(ydoc, item);
  for (const { target, citation } of read.citations) {
    try {
      addCitation(ydoc, target, citation);
    } catch (error) {
      report.dropped(null, '<bibl> in <listBibl type="citations">', (error as Error).message);
    }
  }
}

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { exportTei } from "../../schema/tei.ts";
import { importTei, importTeiBytes } from "../../schema/teiImport.ts";
import { listWitnesses } from "../../schema/witnesses.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { ROOT } from "../helpers/paths.ts";
import { danglingPointers, jingErrors } from "../helpers/tei.ts";

/** Real TEI files of public projects, verbatim (see tests/fixtures/tei/README.md). */
const CORPUS = join(ROOT, "tests/fixtures/tei");
const files = readdirSync(CORPUS).filter((f) => f.endsWith(".xml"));

const TEI_NS = "http://www.tei-c.org/ns/1.0";
/** The elements of verse, drama, `choice` and transcription whose counts must survive the round trip. */
const STRUCTURE = [
  "l",
  "lg",
  "sp",
  "speaker",
  "stage",
  "choice",
  "sic",
  "corr",
  "orig",
  "reg",
  "abbr",
  "expan",
  "pb",
  "lb",
  "hi",
  "front",
  "back",
];
/** Per file, how many elements of a name the model does not keep as elements (and the report says so). */
const NOT_KEPT: Record<string, Record<string, number>> = {
  // A stage direction inside a verse line: its words are kept as the line's text.
  "dracor-koerner-die-blumen.xml": { stage: 1 },
  // Line breaks between paragraphs; a line group holding a heading is read as its parts.
  "dta-soldatenbriefe-letter-124.xml": { lb: 13, lg: 1 },
  "dta-soldatenbriefe-letter-168.xml": { lb: 9 },
};
const parse = (xml: string) => new DOMParser().parseFromString(xml, "text/xml");
/** How many elements of a name a file's `<text>` (or the whole file) holds. */
function count(xml: string, name: string, within = "text"): number {
  const scope = parse(xml).getElementsByTagNameNS(TEI_NS, within)[0];
  return scope ? scope.getElementsByTagNameNS(TEI_NS, name).length : 0;
}

describe("the corpus of real TEI files", () => {
  it("holds the files its README lists, each with its source", () => {
    const readme = readFileSync(join(CORPUS, "README.md"), "utf8");
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(readme).toContain(`\`${f}\``);
  });

  for (const file of files) {
    describe(file, () => {
      const source = readFileSync(join(CORPUS, file));
      const first = importTeiBytes(source, "corpus");
      if (!first.ok) throw new Error(`${file}: ${first.errors.join("; ")}`);
      const exported = exportTei(first.doc);

      it("exports valid TEI (tei_all), with no dangling pointer and no export warning", () => {
        expect(jingErrors(exported.xml)).toEqual([]);
        expect(danglingPointers(exported.xml)).toEqual([]);
        expect(exported.warnings).toEqual([]);
      });

      it("round-trips: import → export → import → export gives identical bytes", () => {
        const again = importTei(exported.xml, "corpus");
        if (!again.ok) throw new Error(again.errors.join("; "));
        expect(exportTei(again.doc).xml).toBe(exported.xml);
      });

      it("keeps every note, apparatus entry, reading and witness of the source", () => {
        const xml = source.toString("utf8");
        for (const name of ["note", "app"]) {
          expect(`${name}: ${count(exported.xml, name)}`).toBe(`${name}: ${count(xml, name)}`);
        }
        // Each entry has a lem once in parallel segmentation, where its lemma stands in the text.
        expect(`lem: ${count(exported.xml, "lem")}`).toBe(`lem: ${count(xml, "lem") + appsWithoutLem(xml)}`);
        // Readings are counted per witness: the export groups witnesses that read alike in one rdg.
        expect(`readings: ${readingCount(exported.xml)}`).toBe(`readings: ${readingCount(xml)}`);
        expect(count(exported.xml, "witness", "TEI")).toBe(count(xml, "witness", "TEI"));
      });

      it("keeps verse, drama, choice and breaks as elements, the ones it cannot keep as the report says", () => {
        const xml = source.toString("utf8");
        for (const name of STRUCTURE) {
          const lost = NOT_KEPT[file]?.[name] ?? 0;
          expect(`${name}: ${count(exported.xml, name)}`).toBe(`${name}: ${count(xml, name) - lost}`);
          if (lost === 0) continue;
          const reported = first.report.groups
            .filter((g) => g.verdict !== "kept" && g.what.startsWith(`<${name}>`))
            .reduce((n, g) => n + g.count, 0);
          expect(`<${name}> reported as not kept: ${reported}`).toBe(
            `<${name}> reported as not kept: ${lost}`,
          );
        }
      });

      it("accounts in its report for every element of the source's text", () => {
        const xml = source.toString("utf8");
        const text = parse(xml).getElementsByTagNameNS(TEI_NS, "text")[0] as Element;
        const names = new Set<string>();
        const walk = (el: Element) => {
          for (let c = el.firstChild; c; c = c.nextSibling) {
            if (c.nodeType === 1) {
              const e = c as Element;
              // Outside TEI's namespace the report names an element with its prefix (`xsl:text`).
              names.add((e.namespaceURI === TEI_NS ? e.localName : e.nodeName) ?? "");
              walk(c as Element);
            }
          }
        };
        walk(text);
        const reported = first.report.groups.map((g) => g.what).join("\n");
        for (const name of names) expect(reported, `<${name}> is in no report group`).toContain(`<${name}>`);
      });

      it("gives each witness the text the source's apparatus gives it", () => {
        const xml = source.toString("utf8");
        for (const w of listWitnesses(first.doc)) {
          const expected = witnessFromSource(xml, w.siglum);
          const got = witnessText(first.doc, w.siglum);
          // Spaces are compared as XML prose reads them (an omitted word leaves its two neighbours' spaces).
          const text = got.ok ? got.text.split("\n\n").map((b) => b.replace(/\s+/g, " ").trim()) : [];
          expect(text.filter(Boolean).join("\n\n")).toBe(expected);
        }
      });
    });
  }
});

/** The entries of a file that have no lem (a double-end-point apparatus, say). */
function appsWithoutLem(xml: string): number {
  const apps = parse(xml).getElementsByTagNameNS(TEI_NS, "app");
  return Array.from({ length: apps.length }, (_, i) => apps[i] as Element).filter(
    (a) => a.getElementsByTagNameNS(TEI_NS, "lem").length === 0,
  ).length;
}

/** How many readings a file gives: one per witness (or source) of each `rdg`. */
function readingCount(xml: string): number {
  const rdgs = parse(xml).getElementsByTagNameNS(TEI_NS, "rdg");
  let n = 0;
  for (let i = 0; i < rdgs.length; i++) {
    const r = rdgs[i] as Element;
    n += `${r.getAttribute("wit") ?? ""} ${r.getAttribute("source") ?? ""}`
      .split(/\s+/)
      .filter(Boolean).length;
  }
  return n;
}

const children = (el: Element) =>
  Array.from({ length: el.childNodes.length }, (_, i) => el.childNodes[i]).filter(
    (k): k is Element => k?.nodeType === 1,
  );

/**
 * A witness's text computed from the source file alone: its paragraphs, headings and verse lines, each `app`
 * read as the witness's `rdg` where it has one, else the `lem`; an element a double-end-point `app` points
 * to (`@from`) read as that entry's `rdg` for the witness; whitespace collapsed as XML prose is read.
 */
function witnessFromSource(xml: string, siglum: string): string {
  const doc = parse(xml);
  const body = doc.getElementsByTagNameNS(TEI_NS, "body")[0] as Element;
  const pointed = new Map<string, Element>();
  const apps = doc.getElementsByTagNameNS(TEI_NS, "app");
  for (let i = 0; i < apps.length; i++) {
    const app = apps[i] as Element;
    const from = app.getAttribute("from");
    if (from && !app.getAttribute("to")) pointed.set(from.replace(/^#/, ""), app);
  }
  const ownReading = (app: Element) =>
    children(app)
      .flatMap((k) => (k.localName === "rdgGrp" ? children(k) : [k]))
      .find(
        (k) => k.localName === "rdg" && (k.getAttribute("wit") ?? "").split(/\s+/).includes(`#${siglum}`),
      );
  const blocks: Element[] = [];
  const walk = (el: Element) => {
    for (const c of children(el)) {
      if (c.localName === "app") continue;
      if (["p", "l", "head"].includes(c.localName ?? "")) blocks.push(c);
      else walk(c);
    }
  };
  walk(body);
  const read = (el: Element): string => {
    let out = "";
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) out += c.nodeValue ?? "";
      else if (c.nodeType === 1) {
        const e = c as Element;
        if (e.localName === "note") continue;
        const app = pointed.get(e.getAttribute("xml:id") ?? "");
        const own = app ? ownReading(app) : undefined;
        if (app) out += own ? ` ${read(own)} ` : read(e);
        else if (e.localName === "app") {
          const kids = Array.from({ length: e.childNodes.length }, (_, i) => e.childNodes[i]).filter(
            (k): k is Element => k?.nodeType === 1,
          );
          const own = kids.find(
            (k) => k.localName === "rdg" && (k.getAttribute("wit") ?? "").split(/\s+/).includes(`#${siglum}`),
          );
          const lem = kids.find((k) => k.localName === "lem");
          out += own ? read(own) : lem ? read(lem) : "";
        } else out += read(e);
      }
    }
    return out;
  };
  return blocks
    .map((p) => read(p).replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join("\n\n");
}

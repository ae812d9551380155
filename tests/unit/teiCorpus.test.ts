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
        for (const name of ["note", "app", "rdg", "lem"]) {
          expect(`${name}: ${count(exported.xml, name)}`).toBe(`${name}: ${count(xml, name)}`);
        }
        expect(count(exported.xml, "witness", "TEI")).toBe(count(xml, "witness", "TEI"));
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
          expect(got.ok && got.text).toBe(expected);
        }
      });
    });
  }
});

/**
 * A witness's text computed from the source file alone: its paragraphs, each `app` read as the witness's
 * `rdg` where it has one, else the `lem`; whitespace collapsed as XML prose is read.
 */
function witnessFromSource(xml: string, siglum: string): string {
  const body = parse(xml).getElementsByTagNameNS(TEI_NS, "body")[0] as Element;
  const paragraphs = [...Array.from({ length: body.getElementsByTagNameNS(TEI_NS, "p").length }).keys()].map(
    (i) => body.getElementsByTagNameNS(TEI_NS, "p")[i] as Element,
  );
  const read = (el: Element): string => {
    let out = "";
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) out += c.nodeValue ?? "";
      else if (c.nodeType === 1) {
        const e = c as Element;
        if (e.localName === "note") continue;
        if (e.localName === "app") {
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
  return paragraphs
    .map((p) => read(p).replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join("\n\n");
}

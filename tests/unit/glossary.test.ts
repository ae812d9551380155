import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import { listGlossary, searchGlossary } from "../../schema/glossary.ts";
import { copyDoc, ROOTS, readMeta } from "../../schema/layout.ts";
import { findUnlinkedMentions } from "../../schema/mentions.ts";
import { schema } from "../../schema/schema.ts";
import { listWitnesses } from "../../schema/witnesses.ts";
import { b } from "../helpers/builders.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { EXCERPTS } from "../helpers/paths.ts";

const entry = (id: string, headword: string, forms: string[] = []) => ({
  id,
  kind: "person" as const,
  headword,
  forms,
  definition: "",
  wikidata: "",
  viaf: "",
  source: "",
});

describe("the glossary", () => {
  it("finds entries by any form, ignoring case and accents, best match first", () => {
    const entries = [entry("gl-m", "Gavril Miasnikov", ["Myasnikov", "Мясников"]), entry("gl-p", "Poincaré")];
    expect(searchGlossary(entries, "myas").map((e) => e.id)).toEqual(["gl-m"]);
    expect(searchGlossary(entries, "мяс").map((e) => e.id)).toEqual(["gl-m"]);
    expect(searchGlossary(entries, "poincare").map((e) => e.id)).toEqual(["gl-p"]);
    expect(searchGlossary(entries, "zzz")).toEqual([]);
  });

  it("finds unlinked mentions as whole words, and not those already linked", () => {
    const doc = b.doc(
      b.p("Poincaré met Poincarésque people; ", b.gloss({ entry: "gl-p" }, "Poincaré"), " again."),
      b.p("And in a note", b.note("Poincaré too")),
    );
    const found = findUnlinkedMentions(doc, [entry("gl-p", "Poincaré")]);
    expect(found.map((m) => [m.text, doc.textBetween(m.from, m.to)])).toEqual([
      ["Poincaré", "Poincaré"],
      ["Poincaré", "Poincaré"],
    ]);
    expect(found).toHaveLength(2);
  });
});

describe("the shipped Manifesto edition", () => {
  const ydoc = manifestoDoc();
  const glossary = listGlossary(ydoc);

  it("has at least 40 glossary entries, each defined and citing a publication, with no guessed authority ids", () => {
    expect(glossary.length).toBeGreaterThanOrEqual(40);
    for (const g of glossary) {
      expect(g.definition.length, g.id).toBeGreaterThan(30);
      // A reader must be able to find the source: a publication (author, title, periodical), never a file of ours.
      expect(g.source, g.id).toMatch(
        /International Review no\. (142|9)|Tommy Lawson, "The Most Intransigent|Ian Hebbes, "The Communist Left/,
      );
      expect(g.source, g.id).not.toMatch(/\.txt\b|shared\/|seeds\//);
      expect([g.wikidata, g.viaf], g.id).toEqual(["", ""]);
    }
    const kinds = new Set(glossary.map((g) => g.kind));
    expect([...kinds].sort()).toEqual(["event", "organisation", "person", "place", "publication", "term"]);
  });

  it("links the mentions in the base text: no form of an entry is left unlinked", () => {
    const body = yXmlFragmentToProseMirrorRootNode(copyDoc(ydoc).getXmlFragment(ROOTS.body), schema);
    expect(findUnlinkedMentions(body, glossary)).toEqual([]);
    const linked = new Set<string>();
    body.descendants((node) => {
      for (const m of node.marks) if (m.type.name === "gloss") linked.add(m.attrs.entry);
      return true;
    });
    for (const id of [
      "gl-poincare",
      "gl-cuno",
      "gl-miliukov",
      "gl-nep",
      "gl-kai",
      "gl-workers-group",
      "gl-gpu",
    ]) {
      expect(linked, id).toContain(id);
    }
  });

  it("registers ICC, WD, Q and RU, with WD described but holding no text", () => {
    const witnesses = listWitnesses(ydoc);
    expect(witnesses.map((w) => w.siglum)).toEqual(["ICC", "Q", "RU", "WD"]);
    const wd = witnesses.find((w) => w.siglum === "WD");
    expect(wd).toMatchObject({
      hasText: false,
      coverage: "partial",
      date: "1 December 1923; 5 January 1924",
    });
    expect(witnesses.find((w) => w.siglum === "Q")?.description).toMatch(
      /possibly the Workers' Dreadnought text, but that is unproven/,
    );
  });

  it("names its sources as publications everywhere, never as a file of this repository", () => {
    const FILE_OF_OURS = /\.(txt|ts|json|mjs)\b|\b(shared|sources|scripts|seeds|editions)\//;
    const meta = readMeta(ydoc);
    const texts = [
      ...listWitnesses(ydoc).flatMap((w) => [
        w.siglum,
        w.publication,
        w.address,
        w.provenance,
        w.description,
      ]),
      JSON.stringify(meta.provenance ?? {}),
      ...glossary.map((g) => g.source),
    ];
    for (const text of texts) expect(text).not.toMatch(FILE_OF_OURS);
  });

  it("records the Q and RU passages verbatim from the sources", () => {
    const excerpts = readFileSync(EXCERPTS, "utf8");
    const apparatus = ydoc.getMap<import("yjs").Map<unknown>>(ROOTS.apparatus);
    expect([...apparatus.keys()].sort()).toEqual(["app-q-1", "app-ru-1", "app-ru-2", "app-ru-3", "app-ru-4"]);
    for (const [, entryMap] of apparatus) {
      const readings = entryMap.get("readings") as import("yjs").Map<import("yjs").Map<unknown>>;
      for (const [, r] of readings) {
        const text = String(r.get("text"));
        expect(text.length).toBeGreaterThan(50);
        for (const part of text.split("\n\n")) expect(excerpts).toContain(part);
      }
    }
  });
});

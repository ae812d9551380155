import { DOMParser } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { readEntry, setReading } from "../../schema/apparatus.ts";
import { ROOTS } from "../../schema/layout.ts";
import { exportTei } from "../../schema/tei.ts";
import { importTei, importTeiBytes, MAX_TEI_BYTES, MAX_TEI_DEPTH } from "../../schema/teiImport.ts";
import { listWitnesses } from "../../schema/witnesses.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { danglingPointers, jingErrors } from "../helpers/tei.ts";

/** A TEI file around a header part and a text part (test input, not a source text). */
function tei(text: string, header = "", sourceDesc = "<p>test input</p>"): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
<teiHeader><fileDesc><titleStmt><title>Test</title></titleStmt>
<publicationStmt><p>x</p></publicationStmt><sourceDesc>${sourceDesc}</sourceDesc></fileDesc>${header}</teiHeader>
<text>${text}</text>
</TEI>`;
}

function imported(xml: string) {
  const r = importTei(xml, "test");
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r;
}

const count = (xml: string, name: string) =>
  new DOMParser().parseFromString(xml, "text/xml").getElementsByTagName(name).length;

describe("the import report", () => {
  const drama = tei(`<body><sp>
<speaker>Bernardo</speaker>
<l>one line</l>
<l>two line</l>
<l>three <hi rend="smallcaps">line</hi></l>
</sp></body>`);

  it("groups by element with a count and the first lines, in the words kept, converted, dropped", () => {
    const r = imported(drama);
    expect(r.report.notRepresented).toEqual([
      "<publicationStmt> in <fileDesc>: 1 element, dropped: the export writes its own (line 4)",
      "<p> in <sourceDesc>: 1 element, dropped: not represented (line 4)",
    ]);
    // Kept things are counted too, but are not listed as not represented.
    expect(r.report.groups.find((g) => g.what === "<l>")).toMatchObject({
      verdict: "kept",
      count: 3,
      lines: [7, 8, 9],
    });
    expect(r.report.groups.find((g) => g.what === "<sp>")).toMatchObject({
      verdict: "kept",
      count: 1,
      lines: [5],
    });
    expect(r.report.groups.find((g) => g.what === "@rend on <hi>")).toMatchObject({
      verdict: "kept",
      count: 1,
      values: ["smallcaps"],
    });
    const xml = exportTei(r.doc).xml;
    expect(xml).toContain(
      '<sp>\n        <speaker>Bernardo</speaker>\n        <l>one line</l>\n        <l>two line</l>\n        <l>three <hi rend="smallcaps">line</hi></l>\n      </sp>',
    );
    expect(jingErrors(xml)).toEqual([]);
  });

  it("keeps drama: speeches with who speaks, speakers, stage directions", () => {
    const r = imported(
      tei(
        `<body><div><stage type="setting">Elsinore.</stage><sp who="#Francisco"><speaker>Francisco</speaker><l>Nay, answer me.</l><stage type="exit">Exit.</stage></sp><speaker>Stray</speaker></div></body>`,
      ),
    );
    const xml = exportTei(r.doc).xml;
    expect(xml).toContain('<stage type="setting">Elsinore.</stage>');
    expect(xml).toContain(
      '<sp who="#Francisco">\n        <speaker>Francisco</speaker>\n        <l>Nay, answer me.</l>\n        <stage type="exit">Exit.</stage>\n      </sp>',
    );
    expect(r.report.notRepresented).toContain(
      "<speaker>: 1 element, converted: a speaker outside the head of a speech: kept as a paragraph (line 5)",
    );
    expect(jingErrors(xml)).toEqual([]);
    expect(exportTei(imported(xml).doc).xml).toBe(xml);
  });

  it("keeps verse: line groups with their type, lines with their numbers", () => {
    const r = imported(
      tei(
        `<body><div><lg type="stanza" xml:id="st1"><l n="1">first</l><l n="2">second</l></lg><lg><head>Refrain</head><l>third</l></lg></div></body>`,
      ),
    );
    const xml = exportTei(r.doc).xml;
    expect(xml).toContain(
      '<lg xml:id="st1" type="stanza">\n        <l n="1">first</l>\n        <l n="2">second</l>\n      </lg>',
    );
    expect(r.report.notRepresented).toContain(
      "<lg>: 1 element, converted: a line group holding more than lines: its parts are read as blocks, the grouping is not kept (line 5)",
    );
    expect(xml).toContain("<l>third</l>");
    expect(jingErrors(xml)).toEqual([]);
    const again = imported(xml);
    expect(exportTei(again.doc).xml).toBe(xml);
  });

  it("shows at most five line numbers for a thousand occurrences, and says there are more", () => {
    const many = tei(`<body><p>${"<seg>w</seg>\n".repeat(1000)}</p></body>`);
    const line = imported(many).report.notRepresented.find((l) => l.startsWith("<seg>"));
    expect(line).toBe(
      "<seg>: 1,000 elements, converted: its text is kept as plain text (lines 5, 6, 7, 8, 9, …)",
    );
  });

  it("keeps front and back matter before and after the text, and reads the witness lists in them", () => {
    const r = imported(
      tei(`<front><div><head>Sigla</head><listWit><witness xml:id="wit1">First</witness><witness xml:id="wit2">Second</witness></listWit><p>A preface.</p></div></front>
<body><p>alpha <app><lem wit="#wit1">beta</lem><rdg wit="#wit2">gamma</rdg></app></p></body>
<back><div><p>An appendix.</p><p>More.</p></div></back>`),
    );
    expect(listWitnesses(r.doc).map((w) => w.siglum)).toEqual(["wit1", "wit2"]);
    expect(r.report.groups.find((g) => g.what === "<front>")).toMatchObject({ verdict: "kept", lines: [5] });
    expect(r.report.groups.find((g) => g.what === "<back>")).toMatchObject({ verdict: "kept", lines: [7] });
    const xml = exportTei(r.doc).xml;
    expect(xml).toMatch(
      /<text>\n {4}<front>\n[\s\S]*<head rend="h3">Sigla<\/head>[\s\S]*<p>A preface\.<\/p>[\s\S]*<\/front>\n {4}<body>/,
    );
    expect(xml).toMatch(
      /<\/body>\n {4}<back>\n {6}<p>An appendix\.<\/p>\n {6}<p>More\.<\/p>\n {4}<\/back>\n {2}<\/text>/,
    );
    expect(jingErrors(xml)).toEqual([]);
    expect(exportTei(imported(xml).doc).xml).toBe(xml);
    // The matter's words are the witness's too; the body's apparatus is read as before.
    expect(witnessText(r.doc, "wit2")).toMatchObject({
      ok: true,
      text: expect.stringContaining("alpha gamma"),
    });
  });

  it("keeps both sides of a choice, the source's own form shown, not one after the other", () => {
    const r = imported(
      tei(
        `<body><p>Die <choice><sic>Crkentniſſe</sic><corr>Erkentniſſe</corr></choice> und <choice><abbr>Dr.</abbr><expan>Doktor</expan></choice></p></body>`,
        "",
        '<listWit><witness xml:id="A">A</witness></listWit>',
      ),
    );
    const xml = exportTei(r.doc).xml;
    expect(xml).toContain(
      "<p>Die <choice><sic>Crkentniſſe</sic><corr>Erkentniſſe</corr></choice> und <choice><abbr>Dr.</abbr><expan>Doktor</expan></choice></p>",
    );
    expect(jingErrors(xml)).toEqual([]);
    expect(exportTei(imported(xml).doc).xml).toBe(xml);
    // The text is read once, in the source's own form (never both forms one after the other).
    expect(witnessText(r.doc, "A")).toMatchObject({ ok: true, text: "Die Crkentniſſe und Dr." });
    expect(r.report.groups.find((g) => g.what === "<choice> <sic>/<corr>")).toMatchObject({
      verdict: "kept",
      count: 1,
    });
    expect(r.report.notRepresented.join("\n")).not.toContain("choice");
  });

  it("keeps the shown side only of a choice the model cannot pair, and reports the other as dropped", () => {
    const r = imported(tei(`<body><p><choice><sic>a</sic><corr>b</corr><corr>c</corr></choice></p></body>`));
    expect(r.report.notRepresented).toContain(
      '<corr> in <choice>: 2 elements, dropped: not kept: the <sic> beside it is; 2 values: "b", "c" (line 5)',
    );
  });

  it("keeps page breaks with their numbers and scans; one between blocks moves to the next paragraph, said so", () => {
    const r = imported(tei(`<body><pb n="5" facs="p5.jpg"/><p>alpha<pb n="6"/> beta</p></body>`));
    expect(r.report.notRepresented).toEqual([
      "<publicationStmt> in <fileDesc>: 1 element, dropped: the export writes its own (line 4)",
      "<p> in <sourceDesc>: 1 element, dropped: not represented (line 4)",
      "<pb> between blocks: 1 element, converted: kept at the start of the next paragraph or heading (line 5)",
    ]);
    expect(r.report.groups.find((g) => g.what === "<pb>")).toMatchObject({
      verdict: "kept",
      count: 2,
      values: ["n=5 facs=p5.jpg", "n=6"],
    });
    const xml = exportTei(r.doc).xml;
    expect(xml).toContain('<p><pb n="5" facs="p5.jpg"/>alpha<pb n="6"/> beta</p>');
    expect(jingErrors(xml)).toEqual([]);
  });
});

describe("bad input is refused with the limit named", () => {
  it("refuses nesting deeper than the limit at once, without a stack overflow", () => {
    const n = 100_000;
    const deep = tei(`<body><p>${"<hi>".repeat(n)}x${"</hi>".repeat(n)}</p></body>`);
    const r = importTei(deep, "deep");
    expect(r).toEqual({
      ok: false,
      errors: [
        `elements are nested more than ${MAX_TEI_DEPTH} deep (line 5); a TEI import takes at most ${MAX_TEI_DEPTH} levels`,
      ],
    });
    // Just under the limit is read.
    const ok = tei(
      `<body><p>${"<hi>".repeat(MAX_TEI_DEPTH - 6)}x${"</hi>".repeat(MAX_TEI_DEPTH - 6)}</p></body>`,
    );
    expect(importTei(ok, "ok").ok).toBe(true);
  });

  it("refuses bytes that are not UTF-8 instead of replacing them, saying where", () => {
    const good = new TextEncoder().encode(tei("<body><p>café</p></body>"));
    expect(importTeiBytes(good, "x").ok).toBe(true);
    const bad = Uint8Array.from(good);
    const at = good.indexOf(0xc3); // the é
    bad[at] = 0xe9; // é in Latin-1
    expect(importTeiBytes(bad, "x")).toEqual({
      ok: false,
      errors: [
        `the file is not valid UTF-8: the bytes at offset ${at} (line 5) are not a UTF-8 character; TEI files are imported in UTF-8 only (convert it, e.g. with iconv)`,
      ],
    });
    const latin1 = tei("<body><p>x</p></body>").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    expect(importTei(latin1, "x")).toMatchObject({
      ok: false,
      errors: [expect.stringContaining('"ISO-8859-1"')],
    });
  });

  it('refuses DTDs and entities with "DTDs and entities are not supported"', () => {
    const dtd = `<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY ouml "ö">]>\n${tei("<body><p>H&ouml;he</p></body>").replace(/^<\?xml[^>]*>\n/, "")}`;
    expect(importTei(dtd, "x")).toEqual({
      ok: false,
      errors: [
        "DTDs and entities are not supported: line 2 has <!DOCTYPE; remove it and write each entity as the character it stands for",
      ],
    });
    const entity = importTei(tei("<body><p>a&nbsp;b</p></body>"), "x");
    expect(entity).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^DTDs and entities are not supported: &nbsp;/)],
    });
  });

  it("refuses a file over the size limit, naming it", () => {
    const big = new Uint8Array(MAX_TEI_BYTES + 1).fill(0x20);
    expect(importTeiBytes(big, "x")).toEqual({
      ok: false,
      errors: [
        `the file has ${MAX_TEI_BYTES + 1} bytes; a TEI import takes at most ${MAX_TEI_BYTES} bytes (10 MiB)`,
      ],
    });
  });
});

describe("revisions", () => {
  it("keeps a change dated by <date when> and exports it validly", () => {
    const r = imported(
      tei(
        "<body><p>x</p></body>",
        `<revisionDesc><change><date when="2001-02-03"/>Proofread.</change><change>Undated.</change></revisionDesc>`,
      ),
    );
    const xml = exportTei(r.doc).xml;
    expect(xml).toContain('<change when="2001-02-03">Proofread.</change>');
    expect(xml).toContain("<change>Undated.</change>");
    expect(jingErrors(xml)).toEqual([]);
  });
});

describe("apparatus as real editions write it", () => {
  const app = tei(
    `<body><p>alpha <app><lem wit="#wit1 #σ">beta</lem><rdgGrp><rdg wit="#wit2">gamma</rdg><rdg wit="#Ϛ">delta</rdg></rdgGrp><rdg source="#Scaliger">epsilon</rdg></app> zeta <app><lem wit="#wit1">eta</lem><rdg wit="#grp">theta</rdg><rdg wit="#N">iota</rdg></app></p></body>`,
    "",
    `<listWit><witness xml:id="wit1">One</witness><witness xml:id="σ">Sigma</witness><listWit xml:id="grp"><witness xml:id="wit2">Two</witness><witness xml:id="Ϛ">Stigma</witness></listWit></listWit>`,
  );

  it("keeps any XML-name sigla, readings in rdgGrp, group pointers expanded, and the lemma's witnesses from the file", () => {
    const r = imported(app);
    expect(listWitnesses(r.doc).map((w) => w.siglum)).toEqual(["wit1", "N", "Scaliger", "wit2", "Ϛ", "σ"]);
    const ids = [...r.doc.getMap(ROOTS.apparatus).keys()].sort();
    const entries = ids.map((id) => readEntry(r.doc, id) as NonNullable<ReturnType<typeof readEntry>>);
    expect(entries.map((e) => e.readings)).toEqual([
      {
        wit2: { kind: "text", text: "gamma" },
        Ϛ: { kind: "text", text: "delta" },
        Scaliger: { kind: "text", text: "epsilon" },
      },
      {
        wit2: { kind: "text", text: "theta" },
        Ϛ: { kind: "text", text: "theta" },
        N: { kind: "text", text: "iota" },
      },
    ]);
    const xml = exportTei(r.doc).xml;
    expect(xml).not.toContain("#BASE");
    expect(xml).toContain('<lem wit="#wit1 #σ">beta</lem>');
    // σ gives no reading at eta, but the file does not say it reads the lemma: it is not made to.
    expect(xml).toContain('<lem wit="#wit1">eta</lem>');
    expect(jingErrors(xml)).toEqual([]);
    expect(danglingPointers(xml)).toEqual([]);
    expect(witnessText(r.doc, "Ϛ")).toMatchObject({ ok: true, text: "alpha delta zeta theta" });
    // A witness of the lemma given a reading of its own later leaves the lemma's witnesses.
    const eta = entries.find((e) => e.readings.N)?.id as string;
    setReading(r.doc, eta, "wit1", { kind: "text", text: "eta2" });
    expect(exportTei(r.doc).xml).toContain("<lem>eta</lem>");
  });

  it("reports what a reading carries and the model does not keep (@cause, a @type that is no decision, an id)", () => {
    const r = imported(
      tei(
        '<body><p>alpha <app><lem wit="#A">beta</lem><rdg wit="#B" cause="homeoteleuton" type="orthographic" xml:id="r1">gamma</rdg></app></p></body>',
        "",
        '<listWit><witness xml:id="A">A</witness><witness xml:id="B">B</witness></listWit>',
      ),
    );
    const lines = r.report.notRepresented.join("\n");
    expect(lines).toContain(
      '@cause on <rdg>: 1 attribute, dropped: not represented; 1 value: "homeoteleuton"',
    );
    expect(lines).toContain('@type on <rdg>: 1 attribute, dropped: not represented; 1 value: "orthographic"');
    expect(lines).toContain('@xml:id on <rdg>: 1 attribute, dropped: not represented; 1 value: "r1"');
  });

  it("keeps an entry on a footnote's words detached with its words, and says so rather than 'marked in the text'", () => {
    const r = imported(
      tei(
        '<body><p>alpha<note>a note with <app><lem wit="#A">beta</lem><rdg wit="#B">gamma</rdg></app> inside</note> delta</p></body>',
        "",
        '<listWit><witness xml:id="A">A</witness><witness xml:id="B">B</witness></listWit>',
      ),
    );
    expect(r.report.groups.find((g) => g.what === "<lem> in a footnote")?.verdict).toBe("converted");
    expect(r.report.groups.find((g) => g.what === "<lem>")).toBeUndefined();
    const xml = exportTei(r.doc).xml;
    expect(xml).toContain("a note with beta inside");
    expect(xml).toMatch(
      /<listApp type="detached">[\s\S]*<lem wit="#A">beta<\/lem><rdg wit="#B" type="proposed">gamma<\/rdg>/,
    );
  });

  it("keeps a reading given only by a @source under its source, and writes it back with @source", () => {
    const withBibl = app.replace(
      "</sourceDesc>",
      '<listBibl><bibl xml:id="Scaliger">J. J. Scaliger</bibl></listBibl></sourceDesc>',
    );
    const r = imported(withBibl);
    const source = listWitnesses(r.doc).find((w) => w.siglum === "Scaliger");
    expect(source).toMatchObject({ kind: "source", title: "J. J. Scaliger", hasText: false });
    const xml = exportTei(r.doc).xml;
    expect(xml).toContain('<rdg source="#Scaliger" type="proposed">epsilon</rdg>');
    expect(xml).toContain('<listBibl type="reading-sources">');
    expect(count(xml, "witness")).toBe(5); // the four declared and N; the source is no witness
    expect(jingErrors(xml)).toEqual([]);
    const again = imported(xml);
    expect(exportTei(again.doc).xml).toBe(xml);
    expect(again.report.notRepresented.filter((l) => !l.includes("publicationStmt"))).toEqual([]);
  });

  it("reports what it converts: an undeclared witness, the grouping of readings", () => {
    const lines = imported(app).report.notRepresented;
    expect(lines).toContain(
      'a witness no <listWit> declares: 1 occurrence, converted: registered under its siglum, with its siglum as title; 1 value: "N"',
    );
    expect(lines).toContain(
      "<rdgGrp>: 1 element, converted: its readings are kept, the grouping is not (line 5)",
    );
    expect(lines.join("\n")).not.toMatch(/unknown witness/);
  });

  it("writes no lemma witness the file does not have", () => {
    const r = imported(tei(`<body><p>alpha <app><lem>beta</lem><rdg wit="#B">gamma</rdg></app></p></body>`));
    const xml = exportTei(r.doc).xml;
    expect(xml).not.toContain("#BASE");
    expect(count(xml, "rdg")).toBe(1);
    expect(jingErrors(xml)).toEqual([]);
  });
});

describe("the header", () => {
  it("reports each part of the encoding description it drops, and says when the apparatus is converted to parallel segmentation", () => {
    const r = imported(
      tei(
        "<body><p>x</p></body>",
        `<encodingDesc><projectDesc><p>About.</p></projectDesc><variantEncoding method="location-referenced" location="external"/></encodingDesc>`,
      ),
    );
    expect(r.report.notRepresented).toContain(
      "<projectDesc> in <encodingDesc>: 1 element, dropped: not represented (line 4)",
    );
    expect(r.report.notRepresented).toContain(
      '@method on <variantEncoding>: 1 attribute, converted: to parallel segmentation where each entry\'s anchors allow (each entry is reported under <app>); 1 value: "location-referenced" (line 4)',
    );
  });
});

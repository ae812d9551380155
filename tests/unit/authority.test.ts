import { describe, expect, it } from "vitest";
import {
  AUTHORITIES,
  AUTHORITY_KEYS,
  authorityError,
  authorityFromAddress,
  authorityLinks,
  authorityOfTeiType,
} from "../../schema/authority.ts";
import { buildEditionDoc } from "../../schema/edition.ts";
import { GlossaryRecord, glossaryMap, listGlossary, readGlossaryEntry } from "../../schema/glossary.ts";
import { readingEdition } from "../../schema/html.ts";
import { exportTei } from "../../schema/tei.ts";
import { importTei } from "../../schema/teiImport.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { jingErrors } from "../helpers/tei.ts";

// Test values that fit each authority's pattern. They are not these entries' real ids: an id is only ever
// entered by a person from a source, and the shipped edition holds none.
const IDS = { wikidata: "Q1000001", viaf: "1000002", gnd: "4000003-X", geonames: "1000004" };

describe("authority identifiers", () => {
  it("are checked by each authority's pattern", () => {
    const valid: Record<string, string[]> = {
      wikidata: ["Q1", "Q42", "Q1234567"],
      viaf: ["113230702", "7"],
      gnd: ["118540238", "4003031-8", "95980479X", "2022139-3", "1089894554"],
      geonames: ["524901", "2950159"],
    };
    const invalid: Record<string, string[]> = {
      wikidata: ["42", "q42", "Q042", "Q", "Q42 ", "P31", "https://www.wikidata.org/wiki/Q42"],
      viaf: ["0113", "viaf113", "12a", "1 2"],
      gnd: ["0118540238", "4003031-", "-8", "40030318-XX", "118540238x", "4003031--8", "1185402381234"],
      geonames: ["05249", "52a", "-1"],
    };
    for (const k of AUTHORITY_KEYS) {
      for (const id of valid[k] ?? []) expect(authorityError(k, id, "gl-x"), `${k} ${id}`).toBeNull();
      for (const id of invalid[k] ?? []) expect(authorityError(k, id, "gl-x"), `${k} ${id}`).not.toBeNull();
      // The HTML input's pattern says the same as the check.
      const input = new RegExp(`^(?:${AUTHORITIES[k].inputPattern})$`);
      for (const id of [...(valid[k] ?? []), ...(invalid[k] ?? [])])
        expect(input.test(id), `${k} ${id}`).toBe(AUTHORITIES[k].pattern.test(id));
    }
    expect(authorityError("gnd", "", "gl-x")).toBeNull();
  });

  it("refuse a wrong id with an error naming the entry and the rule", () => {
    expect(authorityError("gnd", "118-540238", "gl-lenin")).toBe(
      'GND id "118-540238" on glossary entry gl-lenin is not one: a GND id is up to ten digits, the first not 0, then a check digit 0–9 or X, perhaps after a hyphen (118540238, 4003031-8)',
    );
    const parsed = GlossaryRecord.safeParse({
      id: "gl-lenin",
      kind: "person",
      headword: "Lenin",
      geonames: "x1",
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      [
        "geonames",
        'GeoNames id "x1" on glossary entry gl-lenin is not one: a GeoNames id is digits, the first not 0',
      ],
    ]);
  });

  it("in an edition folder's glossary.json refuse the edition, naming the file, the entry and the rule", () => {
    const files: Record<string, string> = {
      "base.txt": "Title: T\nPublication: P\nDate: D\nAddress: A\n---\nLenin spoke.\n",
      "glossary.json": JSON.stringify([
        { id: "gl-lenin", kind: "person", headword: "Lenin", wikidata: "Q5" },
        { id: "gl-x", kind: "place", headword: "X", geonames: "12a" },
      ]),
    };
    const built = buildEditionDoc({
      manifest: { id: "t", title: "T", baseWitness: "B", baseText: "base.txt", glossary: "glossary.json" },
      readFile: (name) => files[name] ?? null,
    });
    expect(built).toEqual({
      ok: false,
      errors: [
        'glossary.json: item 1.geonames: GeoNames id "12a" on glossary entry gl-x is not one: a GeoNames id is digits, the first not 0',
      ],
    });
  });

  it("link to each authority's page, and only ids that fit", () => {
    expect(authorityLinks({ ...IDS, viaf: "not-one" })).toEqual([
      { label: "Wikidata", id: "Q1000001", url: "https://www.wikidata.org/wiki/Q1000001" },
      { label: "GND", id: "4000003-X", url: "https://d-nb.info/gnd/4000003-X" },
      { label: "GeoNames", id: "1000004", url: "https://www.geonames.org/1000004" },
    ]);
    expect(authorityOfTeiType("gnd")).toBe("gnd");
    expect(
      [
        "http://www.wikidata.org/entity/Q1000001",
        "https://viaf.org/viaf/1000002/",
        "https://d-nb.info/gnd/4000003-X",
        "https://sws.geonames.org/1000004/",
        "https://www.geonames.org/1000004/some-place.html",
        "https://d-nb.info/gnd/0123",
        "https://example.org/Q1",
      ].map(authorityFromAddress),
    ).toEqual([
      { key: "wikidata", id: "Q1000001" },
      { key: "viaf", id: "1000002" },
      { key: "gnd", id: "4000003-X" },
      { key: "geonames", id: "1000004" },
      { key: "geonames", id: "1000004" },
      null,
      null,
    ]);
    expect(authorityOfTeiType("LCNAF")).toBeUndefined();
  });

  it("are none in the shipped edition: no source in the repository gives one", () => {
    for (const g of listGlossary(manifestoDoc()))
      for (const k of AUTHORITY_KEYS) expect(g[k] ?? "", `${g.id} ${k}`).toBe("");
  });

  it("are stored on the entry, and a stored id that breaks its pattern is not read (the entry still is)", () => {
    const doc = manifestoDoc();
    const map = glossaryMap(doc, "gl-lenin");
    map.set("gnd", IDS.gnd);
    map.set("wikidata", IDS.wikidata);
    expect(readGlossaryEntry(doc, "gl-lenin")).toMatchObject({ gnd: IDS.gnd, wikidata: IDS.wikidata });
    map.set("gnd", "bogus");
    const entry = readGlossaryEntry(doc, "gl-lenin");
    expect(entry?.headword).toBe("Lenin");
    expect(entry?.gnd).toBeUndefined();
    expect(map.get("gnd")).toBe("bogus");
  });

  it("are exported as TEI idno inside each kind of entry, valid against tei_all, and read back the same", () => {
    const doc = manifestoDoc();
    const entries = listGlossary(doc);
    const person = "gl-lenin";
    const org = entries.find((g) => g.kind === "organisation")?.id as string;
    const place = entries.find((g) => g.kind === "place")?.id as string;
    const other = entries.find((g) => !["person", "organisation", "place"].includes(g.kind))?.id as string;
    for (const id of [person, org, place, other]) {
      const map = glossaryMap(doc, id);
      for (const k of AUTHORITY_KEYS) if (k !== "geonames" || id === place) map.set(k, IDS[k]);
    }
    const { xml, warnings } = exportTei(doc);
    expect(warnings).toEqual([]);
    expect(jingErrors(xml)).toEqual([]);
    const placeXml = xml.slice(
      xml.indexOf(`<place xml:id="${place}">`),
      xml.indexOf("</place>", xml.indexOf(`<place xml:id="${place}">`)),
    );
    expect(placeXml).toContain('<idno type="wikidata">Q1000001</idno>');
    expect(placeXml).toContain('<idno type="VIAF">1000002</idno>');
    expect(placeXml).toContain('<idno type="GND">4000003-X</idno>');
    expect(placeXml).toContain('<idno type="GeoNames">1000004</idno>');
    expect(xml).toMatch(
      new RegExp(`<item xml:id="${other}"[^>]*>[\\s\\S]*?<idno type="GND">4000003-X</idno>[\\s\\S]*?</item>`),
    );
    const imported = importTei(xml, "manifesto");
    if (!imported.ok) throw new Error(imported.errors.join("\n"));
    expect(imported.report.notRepresented).toEqual([]);
    for (const id of [person, org, place, other])
      expect(readGlossaryEntry(imported.doc, id)).toEqual(readGlossaryEntry(doc, id));
    expect(exportTei(imported.doc).xml).toBe(xml);
  });

  it("are not imported from TEI when they break their pattern, and the report names the entry and the rule", () => {
    const { xml } = exportTei(manifestoDoc());
    const broken = xml.replace(
      /(<person xml:id="gl-lenin">\s*<persName type="main">Lenin<\/persName>)/,
      '$1<idno type="GND">Lenin-1</idno><idno type="wikidata">Q5</idno><idno type="LCNAF">n79</idno>',
    );
    expect(broken).not.toBe(xml);
    const imported = importTei(broken, "manifesto");
    if (!imported.ok) throw new Error(imported.errors.join("\n"));
    expect(readGlossaryEntry(imported.doc, "gl-lenin")).toMatchObject({ headword: "Lenin", wikidata: "Q5" });
    expect(readGlossaryEntry(imported.doc, "gl-lenin")?.gnd).toBeUndefined();
    const dropped = imported.report.groups
      .filter((g) => g.verdict === "dropped")
      .map((g) => `${g.what} ${g.how}`);
    expect(dropped).toContain(
      '<idno type="GND"> GND id "Lenin-1" on glossary entry gl-lenin is not one: a GND id is up to ten digits, the first not 0, then a check digit 0–9 or X, perhaps after a hyphen (118540238, 4003031-8)',
    );
    expect(dropped.some((d) => d.startsWith('<idno type="LCNAF">'))).toBe(true);
  });

  it("are read from another file's addresses (idno type=URI), and the report says so", () => {
    const { xml } = exportTei(manifestoDoc());
    const foreign = xml.replace(
      /(<place xml:id="gl-kronstadt">\s*<placeName type="main">Kronstadt<\/placeName>)/,
      '$1<idno type="URI">https://sws.geonames.org/1000004/</idno><idno type="URI">https://example.org/k</idno>',
    );
    expect(foreign).not.toBe(xml);
    const imported = importTei(foreign, "manifesto");
    if (!imported.ok) throw new Error(imported.errors.join("\n"));
    expect(readGlossaryEntry(imported.doc, "gl-kronstadt")?.geonames).toBe("1000004");
    const groups = imported.report.groups.map((g) => `${g.verdict} ${g.what} ${g.how}`);
    expect(groups).toContain('converted <idno type="URI"> a GeoNames id, read from its address');
    expect(groups.some((g) => g.startsWith('dropped <idno type="URI">'))).toBe(true);
  });

  it("are shown as links on the reading edition's glossary page", () => {
    const doc = manifestoDoc();
    glossaryMap(doc, "gl-lenin").set("viaf", IDS.viaf);
    glossaryMap(doc, "gl-lenin").set("gnd", IDS.gnd);
    const page =
      readingEdition(doc, { css: "", js: "" }).find((f) => f.path === "glossary.html")?.content ?? "";
    const lenin = page.slice(
      page.indexOf('<article id="gl-lenin"'),
      page.indexOf("</article>", page.indexOf('<article id="gl-lenin"')),
    );
    expect(lenin).toContain(
      '<p class="ids">VIAF <a href="https://viaf.org/viaf/1000002">1000002</a> · GND <a href="https://d-nb.info/gnd/4000003-X">4000003-X</a></p>',
    );
    expect(page.match(/class="ids"/g)).toHaveLength(1);
  });
});

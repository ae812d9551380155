/** A small edition that cites: a footnote with two citations, a witness whose provenance cites, three entries. */
import * as Y from "yjs";
import { addCitation } from "../../schema/bibliography/citations.ts";
import { setBibEntry } from "../../schema/bibliography/entries.ts";
import { seedEditionDoc } from "../../schema/layout.ts";
import { schema } from "../../schema/schema.ts";
import { setWitness } from "../../schema/witnesses.ts";

export function citingDoc(): Y.Doc {
  const cite = (entry: string, locator: string, label: string) =>
    schema.marks.cite.create({ entry, locator, label });
  const body = schema.nodes.doc.create(null, [
    schema.nodes.paragraph.create({ id: "p1" }, [
      schema.text("The Workers' Group"),
      schema.nodes.note.create({ id: "note-1", kind: "editorial" }, [
        schema.text("See "),
        schema.text("Lawson 2021", [cite("lawson-2021", "3", "section")]),
        schema.text(" and "),
        schema.text("Ward", [cite("ward-ir9", "", "page")]),
        schema.text("."),
      ]),
      schema.text(" was founded in 1923."),
    ]),
  ]);
  const ydoc = new Y.Doc();
  seedEditionDoc(
    ydoc,
    {
      id: "cited",
      title: "A cited edition",
      baseWitness: "A",
      provenance: { title: "A", publication: "P", date: "2000", address: "https://example.org/a", extra: {} },
      body,
    },
    null,
  );
  setWitness(ydoc, {
    siglum: "A",
    title: "A",
    publication: "",
    date: "",
    language: "en",
    coverage: "full",
    covers: "",
    description: "",
    address: "",
    provenance: "Read in Lawson.",
    hasText: true,
    coveredBlocks: [],
  });
  setBibEntry(ydoc, {
    id: "lawson-2021",
    type: "webpage",
    author: [{ family: "Lawson", given: "Tommy" }],
    title: "The Most Intransigent of Bolsheviks",
    publisher: "libcom.org",
    issued: { "date-parts": [[2021, 9, 12]] },
    note: "Mirrored by The Anarchist Library.",
  });
  setBibEntry(ydoc, {
    id: "ward-ir9",
    type: "article-journal",
    author: [{ family: "Ward", given: "C. D." }],
    title: "The Communist Left in Russia 1918-1930, Part 2",
    "container-title": "International Review",
    issue: "9",
    publisher: "International Communist Current",
  });
  setBibEntry(ydoc, {
    id: "icc-book",
    type: "book",
    author: [{ literal: "International Communist Current" }],
    title: "Левые коммунисты в России. 1918-1930-е гг.",
    language: "ru",
    "reviewed-author": [{ literal: "Nobody" }],
  });
  addCitation(ydoc, { kind: "witness", id: "A" }, { entry: "lawson-2021", locator: "12", label: "page" });
  return ydoc;
}

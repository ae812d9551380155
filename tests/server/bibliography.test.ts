import { describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import * as Y from "yjs";
import { addCitation, readCitations } from "../../schema/bibliography/citations.ts";
import { readBibEntry, setBibEntry } from "../../schema/bibliography/entries.ts";
import { importBibliography } from "../../schema/bibliography/import.ts";
import { ROOTS } from "../../schema/layout.ts";
import { schema } from "../../schema/schema.ts";
import { exportTei } from "../../schema/tei.ts";
import type { Role } from "../../server/accountStore.ts";
import { CloseCode } from "../../server/closeCodes.ts";
import { forgeUpdate } from "../helpers/rawClient.ts";
import { nodeClient, synced, until } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const cleanup = cleanupAfterEach();

/** Adds a footnote holding a citation at the end of the first paragraph, as y-prosemirror writes one. */
function citeInNewFootnote(doc: Y.Doc, entry: string, locator: string): void {
  const p = doc
    .getXmlFragment(ROOTS.body)
    .toArray()
    .find((el) => el instanceof Y.XmlElement && el.nodeName === "paragraph") as Y.XmlElement;
  const note = new Y.XmlElement("note");
  note.setAttribute("id", "note-cited");
  note.setAttribute("kind", "editorial");
  const text = new Y.XmlText();
  note.insert(0, [text]);
  p.insert(p.length, [note]);
  text.insert(0, "See ");
  text.insert(4, "Pirani", { cite: { entry, locator, label: "page" } });
}

function citationsInText(doc: Y.Doc): { text: string; entry: string; locator: string }[] {
  const body = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(ROOTS.body), schema);
  const out: { text: string; entry: string; locator: string }[] = [];
  body.descendants((n) => {
    for (const m of n.marks)
      if (m.type.name === "cite")
        out.push({ text: n.text ?? "", entry: m.attrs.entry, locator: m.attrs.locator });
  });
  return out;
}

describe("the bibliography over the websocket", () => {
  it("carries an imported entry and its citations, in a footnote and as a glossary entry's source, to another client and the store", async () => {
    const s = await cleanup.server();
    const a = nodeClient(s.wsUrl, "manifesto", { token: s.token("editor") });
    const b = nodeClient(s.wsUrl, "manifesto", { token: s.token("owner") });
    cleanup.add(() => a.provider.destroy());
    cleanup.add(() => b.provider.destroy());
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const [item] = importBibliography(
      "@article{pirani-2008, author = {Pirani, Simon}, title = {Communist dissidence and its context}, year = 2008}",
    ).items;
    if (!item) throw new Error("nothing imported");
    a.doc.transact(() => {
      setBibEntry(a.doc, item);
      citeInNewFootnote(a.doc, "pirani-2008", "175");
      addCitation(
        a.doc,
        { kind: "glossary", id: "gl-miasnikov" },
        { entry: "pirani-2008", locator: "177", label: "page" },
      );
    });
    await until(() => citationsInText(b.doc).length === 1, "the citation reaches the other client");
    expect(readBibEntry(b.doc, "pirani-2008")?.title).toBe("Communist dissidence and its context");
    expect(citationsInText(b.doc)).toEqual([{ text: "Pirani", entry: "pirani-2008", locator: "175" }]);
    expect(readCitations(b.doc, { kind: "glossary", id: "gl-miasnikov" }).at(-1)).toEqual({
      entry: "pirani-2008",
      locator: "177",
      label: "page",
    });
    const live = s.documents.get("manifesto")?.ydoc as Y.Doc;
    await until(() => readBibEntry(live, "pirani-2008") !== null, "the server has the entry");
    const tei = exportTei(live).xml;
    expect(tei).toContain(
      '<bibl><ref target="#bib-pirani-2008">Pirani</ref><citedRange unit="page">175</citedRange></bibl>',
    );
    // The reading edition, served from the live document, cites it in the note and lists it.
    const bib = await (await s.get("/read/manifesto/bibliography.html", "reader")).text();
    expect(bib).toContain(
      '<li id="bib-pirani-2008" class="bib-entry"><p class="csl-entry">Pirani, Simon. <i>Communist Dissidence and Its Context</i>. 2008.</p>',
    );
    expect(bib).toContain('<a href="index.html#note-cited">');
    const index = await (await s.get("/read/manifesto/", "reader")).text();
    const cited = /<a class="cite" href="bibliography.html#bib-pirani-2008">(.*?)<\/a>/.exec(index)?.[1];
    expect(cited).toBe("Simon Pirani, <i>Communist Dissidence and Its Context</i>, 2008, 175.");
  });

  for (const [who, allowed] of [
    ["editor", true],
    ["reviewer", false],
    ["reader", false],
  ] as [Role, boolean][]) {
    it(`${allowed ? "accepts" : "refuses"} a ${who}'s change to the bibliography`, async () => {
      const s = await cleanup.server();
      const live = s.documents.get("manifesto")?.ydoc;
      const url = `${s.wsUrl}/manifesto?token=${s.token(who)}`;
      const result = await forgeUpdate(url, (doc) =>
        setBibEntry(doc, { id: "forged", type: "book", title: "Forged" }),
      );
      const after = s.documents.get("manifesto")?.ydoc ?? live;
      if (allowed) {
        expect(result.closed).toBeNull();
        await until(() => (after ? readBibEntry(after, "forged") !== null : false), "the entry is kept");
      } else {
        expect(result.closed?.code).toBe(CloseCode.forbidden);
        expect(result.denied).toMatch(/the update touches bibliography/);
        expect(after ? readBibEntry(after, "forged") : null).toBeNull();
      }
    });
  }
});

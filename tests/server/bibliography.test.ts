import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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
import { bibliographyMark } from "../../server/seedBibliography.ts";
import { EDITIONS } from "../helpers/paths.ts";
import { forgeUpdate } from "../helpers/rawClient.ts";
import { nodeClient, startTestServer, synced, tempDir, until } from "../helpers/server.ts";
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

describe("the bibliography of a store seeded before there was one", () => {
  it("is added once at start, citing what the stored edition still has, and never again", async () => {
    const editions = tempDir();
    const dataDir = tempDir();
    cleanup.add(() => rmSync(editions, { recursive: true, force: true }));
    cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
    cpSync(join(EDITIONS, "manifesto"), join(editions, "manifesto"), { recursive: true });
    const manifestPath = join(editions, "manifesto", "edition.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    const { bibliography, citations, ...older } = manifest;
    writeFileSync(manifestPath, JSON.stringify(older));
    const first = await startTestServer({ dataDir, editionsDir: editions });
    expect((await first.documents.get("manifesto"))?.ydoc.getMap(ROOTS.bibliography).size ?? 0).toBe(0);
    await first.close();

    writeFileSync(manifestPath, JSON.stringify({ ...older, bibliography, citations }));
    const second = await startTestServer({ dataDir, editionsDir: editions });
    const doc = (await second.documents.get("manifesto"))?.ydoc as Y.Doc;
    expect(doc.getMap(ROOTS.bibliography).size).toBe(7);
    expect(readCitations(doc, { kind: "glossary", id: "gl-miasnikov" })[0]).toEqual({
      entry: "icc-ir142",
      locator: "1",
      label: "note",
    });
    expect(second.log.lines.join("\n")).toMatch(
      /added the bibliography of .* to edition "manifesto" \(7 entries\)/,
    );
    // An editor deletes an entry: a restart does not bring it back.
    await (await second.documents.get("manifesto"))?.transact(
      { kind: "server", reason: "an editor deletes an entry", user: null },
      (ydoc) => ydoc.getMap(ROOTS.bibliography).delete("hebbes"),
    );
    await second.close();
    const third = await startTestServer({ dataDir, editionsDir: editions });
    cleanup.add(() => third.close());
    const again = (await third.documents.get("manifesto"))?.ydoc as Y.Doc;
    expect(again.getMap(ROOTS.bibliography).size).toBe(6);
    expect(third.log.lines.join("\n")).not.toMatch(/added the bibliography/);
    // The store remembers it, so that a start need not load the edition to find it out.
    expect(third.db.wasSeeded(bibliographyMark("manifesto"))).toBe(true);
  });

  it("is recorded as seeded by the start that seeds the edition with it, and not by one without it", async () => {
    const fresh = await cleanup.server();
    expect(fresh.db.wasSeeded(bibliographyMark("manifesto"))).toBe(true);
    const editions = tempDir();
    cleanup.add(() => rmSync(editions, { recursive: true, force: true }));
    cpSync(join(EDITIONS, "manifesto"), join(editions, "manifesto"), { recursive: true });
    const manifestPath = join(editions, "manifesto", "edition.json");
    const { bibliography, citations, ...older } = JSON.parse(readFileSync(manifestPath, "utf8"));
    writeFileSync(manifestPath, JSON.stringify(older));
    const without = await startTestServer({ editionsDir: editions });
    cleanup.add(() => without.dispose());
    expect(without.db.wasSeeded(bibliographyMark("manifesto"))).toBe(false);
  });
});

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
    const live = (await s.documents.get("manifesto"))?.ydoc as Y.Doc;
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
      const live = (await s.documents.get("manifesto"))?.ydoc;
      const url = `${s.wsUrl}/manifesto?token=${s.token(who)}`;
      const result = await forgeUpdate(url, (doc) =>
        setBibEntry(doc, { id: "forged", type: "book", title: "Forged" }),
      );
      const after = (await s.documents.get("manifesto"))?.ydoc ?? live;
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

  it("is part of a named version: restoring the version brings back an entry deleted since", async () => {
    const s = await cleanup.server();
    const headers = { authorization: `Bearer ${s.token("editor")}`, "content-type": "application/json" };
    const named = await fetch(`${s.url}/api/editions/manifesto/versions`, {
      method: "POST",
      headers,
      body: JSON.stringify({ label: "before the bibliography was pruned" }),
    });
    const version = (await named.json()) as { id: number };
    const open = await s.documents.get("manifesto");
    await open?.transact({ kind: "server", reason: "an editor deletes an entry", user: null }, (ydoc) =>
      ydoc.getMap(ROOTS.bibliography).delete("hebbes"),
    );
    expect(readBibEntry(open?.ydoc as Y.Doc, "hebbes")).toBeNull();
    const restored = await fetch(`${s.url}/api/editions/manifesto/versions/${version.id}/restore`, {
      method: "POST",
      headers,
    });
    expect(restored.status).toBe(200);
    expect(readBibEntry((await s.documents.get("manifesto"))?.ydoc as Y.Doc, "hebbes")?.title).toBe(
      "The Communist Left in Russia after 1920",
    );
  });
  it("keeps the record that the bibliography was seeded when a version from before it is restored", async () => {
    const s = await cleanup.server();
    const headers = { authorization: `Bearer ${s.token("editor")}`, "content-type": "application/json" };
    const open = await s.documents.get("manifesto");
    if (!open) throw new Error("the Manifesto is not in the store");
    const meta = () => open.ydoc.getMap(ROOTS.meta);
    const seeded = meta().get("bibliographySeeded");
    expect(seeded).toBeDefined();
    // A version named before there was a bibliography (as in a store older than it).
    await open.transact({ kind: "server", reason: "as before the seeding", user: null }, () =>
      meta().delete("bibliographySeeded"),
    );
    const named = await fetch(`${s.url}/api/editions/manifesto/versions`, {
      method: "POST",
      headers,
      body: JSON.stringify({ label: "before the bibliography" }),
    });
    const version = (await named.json()) as { id: number };
    await open.transact({ kind: "server", reason: "the seeding", user: null }, () =>
      meta().set("bibliographySeeded", seeded),
    );
    const restored = await fetch(`${s.url}/api/editions/manifesto/versions/${version.id}/restore`, {
      method: "POST",
      headers,
    });
    expect(restored.status).toBe(200);
    expect(meta().get("bibliographySeeded")).toEqual(seeded);
  });
});

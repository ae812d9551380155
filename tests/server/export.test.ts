import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { witnessText } from "../../schema/witnessText.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { nodeClient, startTestServer, synced, type TestServer, until } from "../helpers/server.ts";
import { jingErrors } from "../helpers/tei.ts";

describe("exports over HTTP", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it("serves valid TEI and leaves the live document exactly as it was", async () => {
    const client = nodeClient(server.wsUrl, "manifesto", { token: server.token("editor") });
    await synced(client.provider);
    const live = await server.documents.get("manifesto");
    if (!live) throw new Error("the document is not open");
    const before = Y.encodeStateVector(live.ydoc);
    const res = await server.get(`/api/editions/manifesto/tei`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/tei\+xml/);
    expect(jingErrors(await res.text())).toEqual([]);
    expect(Y.encodeStateVector(live.ydoc)).toEqual(before);
    expect(server.db.changes("manifesto")).toHaveLength(0);
    client.provider.destroy();
  });

  it("serves each witness's text, the ICC's equal to the source, and 404 for an unknown one", async () => {
    const icc = await server.get(`/api/editions/manifesto/witnesses/ICC`);
    expect(icc.headers.get("content-type")).toMatch(/^text\/plain/);
    const expected = witnessText(manifestoDoc(), "ICC");
    expect(expected.ok && (await icc.text())).toBe(expected.ok && expected.text);
    const ru = await (await server.get(`/api/editions/manifesto/witnesses/RU`)).text();
    expect(ru.startsWith("Мы уже говорили")).toBe(true);
    const missing = await server.get(`/api/editions/manifesto/witnesses/XYZ`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'unknown witness "XYZ" in edition "manifesto"' });
    const list = (await (await server.get(`/api/editions/manifesto/witnesses`)).json()) as {
      siglum: string;
    }[];
    expect(list.map((w) => w.siglum)).toEqual(["ICC", "Q", "RU", "WD"]);
  });

  it("numbers footnotes in document order when two people insert notes at once", async () => {
    const a = nodeClient(server.wsUrl, "manifesto", { token: server.token("editor") });
    const b = nodeClient(server.wsUrl, "manifesto", { token: server.token("editor") });
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const insertNote = (doc: Y.Doc, paragraph: number, text: string) => {
      const p = doc.getXmlFragment("body").get(paragraph) as Y.XmlElement;
      const note = new Y.XmlElement("note");
      note.setAttribute("id", `note-${text}`);
      note.setAttribute("kind", "editorial");
      p.insert(p.length, [note]);
      note.insert(0, [new Y.XmlText(text)]);
    };
    // Both at once, neither seeing the other's note first: Ann's lands later in the text than Ben's.
    insertNote(a.doc, 3, "ann");
    insertNote(b.doc, 1, "ben");
    await until(
      () => a.doc.getXmlFragment("body").toString() === b.doc.getXmlFragment("body").toString(),
      "convergence",
    );
    const xml = await (await server.get(`/api/editions/manifesto/tei`)).text();
    const notes = [
      ...xml.matchAll(/<note xml:id="note-(ann|ben)" type="editorial" place="foot" n="(\d+)">/g),
    ].map((m) => [m[1], m[2]]);
    expect(notes).toEqual([
      ["ben", "1"],
      ["ann", "2"],
    ]);
    a.provider.destroy();
    b.provider.destroy();
  });
});

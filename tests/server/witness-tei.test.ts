import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { decodeRelative, encodeRelative, plainText } from "../../schema/comments.ts";
import { ROOTS } from "../../schema/layout.ts";
import { addZone, listZones } from "../../schema/zones.ts";
import { witnessDocName } from "../../server/witnesses.ts";
import { makePng } from "../helpers/images.ts";
import { nodeClient, startTestServer, synced, type TestServer, until } from "../helpers/server.ts";
import { jingErrors } from "../helpers/tei.ts";

describe("a witness's transcription as TEI with its facsimile", () => {
  let server: TestServer;
  let editor: string;
  beforeAll(async () => {
    server = await startTestServer();
    editor = server.token("editor");
  });
  afterAll(() => server.dispose());

  const words = (ydoc: Y.Doc, z: { start: string; end: string }) => {
    const s = Y.createAbsolutePositionFromRelativePosition(decodeRelative(z.start), ydoc);
    const e = Y.createAbsolutePositionFromRelativePosition(decodeRelative(z.end), ydoc);
    return s && e ? plainText(s.type as Y.XmlText).slice(s.index, e.index) : "";
  };

  it("exports the page images and zones a transcriber made, valid, and importing the file as a witness gives them back", async () => {
    const auth = { authorization: `Bearer ${editor}` };
    const api = `${server.url}/api/editions/manifesto/witnesses`;
    expect((await fetch(`${api}/WD/transcription`, { method: "POST", headers: auth })).status).toBe(201);
    // A page image made here (test data, not a scan of the Dreadnought).
    const up = await fetch(`${api}/WD/pages?filename=p1.png`, {
      method: "POST",
      headers: auth,
      body: Buffer.from(makePng(600, 800)),
    });
    expect(up.status).toBe(201);

    // A transcriber types a line after a page break and draws its zone, over the websocket.
    const client = nodeClient(server.wsUrl, witnessDocName("manifesto", "WD"), { token: editor });
    await synced(client.provider);
    const para = client.doc.getXmlFragment(ROOTS.body).get(0) as Y.XmlElement;
    const text = new Y.XmlText("The Socialists of all countries");
    client.doc.transact(() => {
      const pb = new Y.XmlElement("page_break");
      pb.setAttribute("n", "1");
      para.insert(0, [pb, text]);
    });
    const end = Y.createRelativePositionFromTypeIndex(text, 4 + "Socialists".length - 1, 0);
    end.assoc = -1;
    addZone(
      client.doc,
      {
        page: 1,
        x: 0.1,
        y: 0.25,
        w: 0.5,
        h: 0.05,
        start: encodeRelative(Y.createRelativePositionFromTypeIndex(text, 4, 0)),
        end: encodeRelative(end),
        by: "Zoe",
        at: 1,
      },
      "zone-socialists",
    );
    await until(
      async () =>
        ((await server.documents.with(witnessDocName("manifesto", "WD"), (d) => listZones(d.ydoc).length)) ??
          0) === 1,
      "the zone to reach the server",
    );
    client.provider.destroy();

    const res = await fetch(`${api}/WD/tei`, { headers: auth });
    expect(res.status, await res.clone().text()).toBe(200);
    const xml = await res.text();
    expect(jingErrors(xml)).toEqual([]);
    const image = `${server.url}/iiif/manifesto/WD/1/full/max/0/default.png`;
    expect(xml).toContain(`<graphic url="${image}" width="600px" height="800px"/>`);
    expect(xml).toContain('<zone xml:id="zone-socialists" ulx="60" uly="200" lrx="360" lry="240"/>');
    expect(xml).toContain(
      '<pb n="1" facs="#facs-WD-1"/>The <seg facs="#zone-socialists">Socialists</seg> of',
    );

    // Imported as another witness: the same words zoned, the page a reference to our image (no bytes).
    const imported = await fetch(`${api}/WDC?filename=wd.xml`, { method: "POST", headers: auth, body: xml });
    expect(imported.status, await imported.clone().text()).toBe(201);
    const pages = (await (await fetch(`${api}/WDC/pages`, { headers: auth })).json()) as {
      url: string;
      hash: string;
      width: number;
    }[];
    expect(pages.map((p) => [p.url, p.hash, p.width])).toEqual([[image, "", 600]]);
    // Cited as the publication the file cites it as (its listWit), not as a file of ours.
    const register = (await (await fetch(`${api}`, { headers: auth })).json()) as {
      siglum: string;
      publication: string;
    }[];
    const wd = register.find((w) => w.siglum === "WD");
    expect(wd?.publication).toBeTruthy();
    expect(register.find((w) => w.siglum === "WDC")?.publication).toBe(wd?.publication);
    const zones = await server.documents.with(witnessDocName("manifesto", "WDC"), (d) =>
      listZones(d.ydoc).map((z) => [z.id, z.page, words(d.ydoc, z), z.x, z.w]),
    );
    expect(zones).toEqual([["zone-socialists", 1, "Socialists", 0.1, 0.5]]);
    const again = await (await fetch(`${api}/WDC/tei`, { headers: auth })).text();
    expect(again).toContain(`<graphic url="${image}" width="600px" height="800px"/>`);
    expect(again).toContain(
      '<pb n="1" facs="#facs-WDC-1"/>The <seg facs="#zone-socialists">Socialists</seg> of',
    );
  });

  it("imports a TEI witness whose images are relative addresses without their pages, and says so in its provenance", async () => {
    const auth = { authorization: `Bearer ${editor}` };
    const api = `${server.url}/api/editions/manifesto/witnesses`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Relative images</title></titleStmt>
<publicationStmt><p>Test input written for this test.</p></publicationStmt><sourceDesc><p>None.</p></sourceDesc></fileDesc></teiHeader>
<facsimile><surface xml:id="s1"><graphic url="page1.jpg" width="800px" height="1000px"/><zone xml:id="r1" ulx="80" uly="100" lrx="720" lry="150"/></surface>
<surface xml:id="s2"><graphic url="file:///etc/p2.jpg" width="800px" height="1000px"/></surface></facsimile>
<text><body><p><pb facs="#s1"/><seg facs="#r1">A line</seg> of text.</p></body></text></TEI>`;
    const res = await fetch(`${api}/REL?filename=rel.xml`, { method: "POST", headers: auth, body: xml });
    expect(res.status, await res.clone().text()).toBe(201);
    const pages = (await (await fetch(`${api}/REL/pages`, { headers: auth })).json()) as unknown[];
    expect(pages).toEqual([]);
    // No page to send the viewer to: not found, no redirect to a relative address.
    const image = await fetch(`${server.url}/iiif/manifesto/REL/1/full/max/0/default.jpg`, {
      headers: auth,
      redirect: "manual",
    });
    expect(image.status).toBe(404);
    const register = (await (await fetch(api, { headers: auth })).json()) as {
      siglum: string;
      provenance: string;
    }[];
    const provenance = register.find((w) => w.siglum === "REL")?.provenance ?? "";
    expect(provenance).toContain("a relative image address cannot be fetched: add the images with pages add");
    expect(provenance).toContain("a page image is an http or https address, not file: or javascript:");
    expect(await server.documents.with(witnessDocName("manifesto", "REL"), (d) => listZones(d.ydoc))).toEqual(
      [],
    );
  });

  it("refuses a witness with no transcription document, saying which", async () => {
    for (const siglum of ["RU", "NOPE"]) {
      const res = await server.get(`/api/editions/manifesto/witnesses/${siglum}/tei`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toBe(
        `witness "${siglum}" of edition "manifesto" has no transcription`,
      );
    }
  });
});

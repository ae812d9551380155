import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPrivateAddress } from "../../server/media/iiifFetch.ts";
import { runVariorum } from "../helpers/cli.ts";
import { makePng } from "../helpers/images.ts";
import { startTestServer, type TestServer, tempDir } from "../helpers/server.ts";

/**
 * A IIIF server of our own on loopback, port 0: its manifests paint page images rendered here by
 * tests/helpers/images.ts (test data, labelled as such, never passed off as scans of a source).
 */
function iiifServer(): Promise<{ server: Server; url: string }> {
  const images = new Map([
    ["/img/1.png", makePng(300, 400, 210)],
    ["/img/2.png", makePng(320, 420, 90)],
  ]);
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const json = (body: unknown, type = "application/ld+json") => {
      res.writeHead(200, { "content-type": type });
      res.end(JSON.stringify(body));
    };
    const canvas3 = (n: number, w: number, h: number) => ({
      id: `${base}/canvas/${n}`,
      type: "Canvas",
      label: { en: [`test page ${n}`] },
      width: w,
      height: h,
      items: [
        {
          id: `${base}/canvas/${n}/page`,
          type: "AnnotationPage",
          items: [
            {
              id: `${base}/canvas/${n}/image`,
              type: "Annotation",
              motivation: "painting",
              target: `${base}/canvas/${n}`,
              body: { id: `${base}/img/${n}.png`, type: "Image", format: "image/png", width: w, height: h },
            },
          ],
        },
      ],
    });
    const image = images.get(req.url ?? "");
    if (image) {
      res.writeHead(200, { "content-type": "image/png" });
      return res.end(Buffer.from(image));
    }
    switch (req.url) {
      case "/manifest3.json":
        return json({
          "@context": "http://iiif.io/api/presentation/3/context.json",
          id: `${base}/manifest3.json`,
          type: "Manifest",
          label: { en: ["Test pages rendered by the test suite"] },
          items: [canvas3(1, 300, 400), canvas3(2, 320, 420)],
        });
      case "/manifest2.json":
        return json(
          {
            "@context": "http://iiif.io/api/presentation/2/context.json",
            "@id": `${base}/manifest2.json`,
            "@type": "sc:Manifest",
            label: "Test pages (v2)",
            sequences: [
              {
                "@type": "sc:Sequence",
                canvases: [
                  {
                    "@id": `${base}/c2/1`,
                    "@type": "sc:Canvas",
                    label: "p. 7",
                    width: 300,
                    height: 400,
                    images: [
                      {
                        "@type": "oa:Annotation",
                        motivation: "sc:painting",
                        resource: {
                          "@id": `${base}/img/1.png`,
                          "@type": "dctypes:Image",
                          format: "image/png",
                          service: {
                            "@id": `${base}/svc/1`,
                            profile: "http://iiif.io/api/image/2/level0.json",
                          },
                        },
                        on: `${base}/c2/1`,
                      },
                    ],
                  },
                ],
              },
            ],
          },
          "application/json",
        );
      case "/svc/1/info.json":
        return json({
          "@context": "http://iiif.io/api/image/3/context.json",
          id: `${base}/svc/1`,
          type: "ImageService3",
          protocol: "http://iiif.io/api/image",
          profile: "level0",
          width: 300,
          height: 400,
        });
      case "/moved":
        res.writeHead(302, { location: "/manifest3.json" });
        return res.end();
      case "/not-iiif.json":
        return json({ title: "a JSON file of something else" }, "application/json");
      case "/page.html":
        res.writeHead(200, { "content-type": "text/html" });
        return res.end("<!doctype html><p>not a manifest</p>");
      case "/big.json":
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(`"${"x".repeat(6 * 1024 * 1024)}"`);
      case "/broken.json":
        res.writeHead(200, { "content-type": "application/json" });
        return res.end('{"type": "Manifest", "items": [');
      default:
        res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

describe("attaching a IIIF manifest or image service to a witness by URL", () => {
  let server: TestServer;
  let iiif: { server: Server; url: string };
  let editor: string;
  beforeAll(async () => {
    server = await startTestServer();
    iiif = await iiifServer();
    editor = server.token("editor");
  });
  afterAll(async () => {
    delete process.env.VARIORUM_IIIF_ALLOW_PRIVATE;
    iiif.server.close();
    await server.dispose();
  });

  const attach = (url: string, siglum = "WD", token = editor) =>
    fetch(`${server.url}/api/editions/manifesto/witnesses/${siglum}/iiif`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ url }),
    });
  const pagesOf = async (siglum: string) =>
    (await (await server.get(`/api/editions/manifesto/witnesses/${siglum}/pages`)).json()) as {
      n: number;
      url: string | null;
      label: string;
    }[];

  it("refuses loopback and private addresses unless VARIORUM_IIIF_ALLOW_PRIVATE=1, by address and by name", async () => {
    delete process.env.VARIORUM_IIIF_ALLOW_PRIVATE;
    for (const url of [`${iiif.url}/manifest3.json`, iiif.url.replace("127.0.0.1", "localhost")]) {
      const res = await attach(url);
      expect(res.status, url).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(
        /private or loopback address.*VARIORUM_IIIF_ALLOW_PRIVATE=1/,
      );
    }
    expect(await pagesOf("WD")).toEqual([]);
  });

  it("records a v3 manifest's canvases as the witness's pages, references to the images, shown through the witness's own manifest", async () => {
    process.env.VARIORUM_IIIF_ALLOW_PRIVATE = "1";
    const res = await attach(`${iiif.url}/manifest3.json`);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(((await res.json()) as { version: string }).version).toBe("presentation-3");
    const pages = await pagesOf("WD");
    expect(pages.map((p) => [p.n, p.label, p.url])).toEqual([
      [1, "test page 1", `${iiif.url}/img/1.png`],
      [2, "test page 2", `${iiif.url}/img/2.png`],
    ]);
    const manifest = (await (await server.get("/iiif/manifesto/WD/manifest.json", "reader")).json()) as {
      items: { width: number; height: number; items: { items: { body: { id: string } }[] }[] }[];
    };
    expect(manifest.items.map((c) => [c.width, c.height, c.items[0]?.items[0]?.body.id])).toEqual([
      [300, 400, `${iiif.url}/img/1.png`],
      [320, 420, `${iiif.url}/img/2.png`],
    ]);
    // Our image address sends the viewer to the image where it is: nothing was copied.
    const image = await fetch(`${server.url}/iiif/manifesto/WD/2/full/max/0/default.png`, {
      headers: { authorization: `Bearer ${server.token("reader")}` },
      redirect: "manual",
    });
    expect(image.status).toBe(302);
    expect(image.headers.get("location")).toBe(`${iiif.url}/img/2.png`);
    const followed = await fetch(image.headers.get("location") as string);
    expect(new Uint8Array(await followed.arrayBuffer())).toEqual(makePng(320, 420, 90));

    // The same manifest twice is refused; through a redirect it is the same document.
    const again = await attach(`${iiif.url}/manifest3.json`);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toMatch(/already attached .* pages 1–2/);
  });

  it("fetches through a host name (Node asks the lookup for every address of it), each address checked", async () => {
    process.env.VARIORUM_IIIF_ALLOW_PRIVATE = "1";
    const res = await attach(`${iiif.url.replace("127.0.0.1", "localhost")}/manifest3.json`, "RU");
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await pagesOf("RU")).length).toBe(2);
  });

  it("counts as private an IPv6 address that carries a private IPv4 one (mapped, compatible, NAT64, 6to4)", () => {
    for (const a of [
      "::ffff:127.0.0.1",
      "::127.0.0.1",
      "64:ff9b::a9fe:a9fe",
      "64:ff9b::7f00:1",
      "2002:c0a8:0101::1",
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ["198.18.0.1", "192.0.0.8", "fe80::1", "::1"]) expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ["93.184.216.34", "2606:4700::6810:85e5", "64:ff9b::5db8:d822"])
      expect(isPrivateAddress(a), a).toBe(false);
  });

  it("reads a v2 manifest (with its image service) and a bare Image API service as further pages", async () => {
    process.env.VARIORUM_IIIF_ALLOW_PRIVATE = "1";
    expect((await attach(`${iiif.url}/manifest2.json`, "Q")).status).toBe(201);
    expect((await attach(`${iiif.url}/svc/1/info.json`, "Q")).status).toBe(201);
    expect((await attach(`${iiif.url}/moved`, "Q")).status).toBe(201);
    const pages = await pagesOf("Q");
    expect(pages.map((p) => [p.n, p.label, p.url])).toEqual([
      [1, "p. 7", `${iiif.url}/img/1.png`],
      [2, "1", `${iiif.url}/svc/1/full/max/0/default.jpg`],
      [3, "test page 1", `${iiif.url}/img/1.png`],
      [4, "test page 2", `${iiif.url}/img/2.png`],
    ]);
    const info = await fetch(`${server.url}/iiif/manifesto/Q/1/info.json`, {
      headers: { authorization: `Bearer ${editor}` },
      redirect: "manual",
    });
    expect(info.headers.get("location")).toBe(`${iiif.url}/svc/1/info.json`);
  });

  it("refuses what is not IIIF, too large, not http(s), or not the editor's to change, saying why, and adds nothing", async () => {
    process.env.VARIORUM_IIIF_ALLOW_PRIVATE = "1";
    const before = await pagesOf("RU");
    const cases: [string, number, RegExp][] = [
      [
        `${iiif.url}/not-iiif.json`,
        422,
        /not a IIIF Presentation manifest \(v2 or v3\) nor an Image API service/,
      ],
      [`${iiif.url}/page.html`, 415, /is text\/html, not JSON/],
      [`${iiif.url}/big.json`, 413, /larger than 5242880 bytes/],
      [`${iiif.url}/broken.json`, 422, /says it is JSON but is not/],
      [`${iiif.url}/missing.json`, 502, /answered 404/],
      ["ftp://example.org/manifest.json", 400, /only http and https/],
      ["not a url", 400, /is not a URL/],
    ];
    for (const [url, status, why] of cases) {
      const res = await attach(url, "RU");
      expect(res.status, url).toBe(status);
      expect(((await res.json()) as { error: string }).error, url).toMatch(why);
    }
    expect((await attach(`${iiif.url}/manifest3.json`, "RU", server.token("reviewer"))).status).toBe(403);
    expect((await attach(`${iiif.url}/manifest3.json`, "NOPE")).status).toBe(404);
    expect(await pagesOf("RU")).toEqual(before);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("refuses a TEI file with a facsimile of its own for a witness that already has pages, storing nothing", async () => {
    const tei = `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
<facsimile><surface xml:id="s1" ulx="0" uly="0" lrx="10" lry="10"><graphic url="https://example.org/a.jpg"/></surface></facsimile>
<text><body><p><pb facs="#s1"/>A line.</p></body></text></TEI>`;
    const before = await pagesOf("WD");
    expect(before.length, "WD's pages attached by the tests above").toBeGreaterThan(0);
    const res = await fetch(`${server.url}/api/editions/manifesto/witnesses/WD?filename=wd.xml`, {
      method: "POST",
      headers: { authorization: `Bearer ${editor}` },
      body: tei,
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toBe(
      `wd.xml brings 1 page images of its own, and witness "WD" already has ${before.length}: import it under a siglum without pages`,
    );
    expect(await pagesOf("WD")).toEqual(before);
    expect((await server.get("/api/editions/manifesto/witnesses/WD/tei")).status).toBe(404);
  });

  it("keeps pages attached by reference as their IIIF links in the reading edition, served and exported", async () => {
    // WD's pages were attached from the manifest above (test 2).
    const img = `<img src="${iiif.url}/img/1.png" width="300" height="400" alt="Page test page 1 of WD"`;
    const served = await (await server.get("/read/manifesto/", "reader")).text();
    expect(served).toContain(img);
    const site = tempDir("variorum-site-iiif-");
    try {
      const run = runVariorum(server.dataDir, "export", "html", "manifesto", site);
      expect(run.status, run.stderr).toBe(0);
      expect(readFileSync(`${site}/index.html`, "utf8")).toContain(img);
      // Nothing copied for them: the images stay where they are.
      expect(existsSync(`${site}/scans/WD`)).toBe(false);
      expect(existsSync(`${site}/reader-scans.js`)).toBe(true);
    } finally {
      rmSync(site, { recursive: true, force: true });
    }
  });
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../helpers/editorPage.ts";
import { makePng } from "../helpers/images.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";

describe("pages attached by a IIIF manifest in the scan viewer", () => {
  const env = withServerAndBrowser();
  let iiif: Server;
  let base = "";
  // A page image rendered here and served by a IIIF server of our own on loopback (test data).
  const image = makePng(640, 820, 180);
  beforeAll(async () => {
    iiif = createServer((req, res) => {
      if (req.url === "/p1.png") {
        res.writeHead(200, { "content-type": "image/png" });
        return res.end(Buffer.from(image));
      }
      if (req.url !== "/manifest.json") return res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/ld+json" });
      res.end(
        JSON.stringify({
          "@context": "http://iiif.io/api/presentation/3/context.json",
          id: `${base}/manifest.json`,
          type: "Manifest",
          label: { en: ["Test page rendered by the test suite"] },
          items: [
            {
              id: `${base}/c1`,
              type: "Canvas",
              width: 640,
              height: 820,
              items: [
                {
                  id: `${base}/c1/p`,
                  type: "AnnotationPage",
                  items: [
                    {
                      id: `${base}/c1/a`,
                      type: "Annotation",
                      motivation: "painting",
                      target: `${base}/c1`,
                      body: { id: `${base}/p1.png`, type: "Image", format: "image/png" },
                    },
                  ],
                },
              ],
            },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => iiif.listen(0, "127.0.0.1", () => resolve()));
    base = `http://127.0.0.1:${(iiif.address() as AddressInfo).port}`;
    // The tests' IIIF server is on loopback: allowed for this process only (see README, Scans).
    process.env.VARIORUM_IIIF_ALLOW_PRIVATE = "1";
  });
  afterAll(() => {
    delete process.env.VARIORUM_IIIF_ALLOW_PRIVATE;
    iiif.close();
  });

  it("attaches a manifest by its URL beside the transcription and shows its canvas's image from where it is", async () => {
    const token = env.server.userToken("Ida", "editor");
    const auth = { authorization: `Bearer ${token}` };
    const api = `${env.server.url}/api/editions/manifesto/witnesses/WD`;
    expect((await fetch(`${api}/transcription`, { method: "POST", headers: auth })).status).toBe(201);

    const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to load/.test(m.text())) refused.push(m.text());
    });
    await page.goto(`${env.server.url}/login?token=${token}`);
    const loaded = page.waitForResponse((r) => r.url() === `${base}/p1.png`);
    await page.goto(`${env.server.url}/editions/manifesto/witness/WD`);
    await page.waitForSelector('#status[data-state="synced"]');
    await page.getByText("no scans yet").waitFor();
    // A manifest that is not there is refused with the reason; nothing is added.
    const field = page.getByRole("textbox", { name: /URL of a IIIF manifest/ });
    await field.fill(`${base}/nothing.json`);
    await page.getByRole("button", { name: "Attach" }).click();
    await page.getByText(/Refused: .*answered 404/).waitFor();
    await field.fill(`${base}/manifest.json`);
    await page.getByRole("button", { name: "Attach" }).click();
    await page.getByText("attached 1 page from the manifest").waitFor();
    const stage = page.locator(".scan-stage");
    await until(async () => (await stage.getAttribute("data-page")) === "1", "the first page to show");
    expect(await page.locator(".scan-page").textContent()).toBe("page 1 of 1");
    const response = await loaded;
    expect(response.status()).toBe(200);
    expect(new Uint8Array(await response.body())).toEqual(image);
    await until(async () => (await stage.locator("canvas").count()) > 0, "OpenSeadragon to draw");
    expect(refused).toEqual([]);
    // The transcription's TEI, from the link beside the scans: the canvas's image named where it is.
    const href = await page
      .getByRole("link", { name: /as TEI, with its page images and zones/ })
      .getAttribute("href");
    const tei = await (await page.request.get(`${env.server.url}${href}`)).text();
    expect(tei).toContain(`<graphic url="${base}/p1.png" width="640px" height="820px"/>`);
    await context.close();
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { encodeRelative, plainText } from "../../schema/comments.ts";
import { ROOTS } from "../../schema/layout.ts";
import { addZone, listZones } from "../../schema/zones.ts";
import { witnessDocName } from "../../server/witnesses.ts";
import { runVariorum } from "../helpers/cli.ts";
import { until as untilPage } from "../helpers/editorPage.ts";
import { makePng } from "../helpers/images.ts";
import { EDITIONS } from "../helpers/paths.ts";
import { nodeClient, synced, until } from "../helpers/server.ts";
import { publish, withServerAndBrowser } from "../helpers/suite.ts";

/** Words of Q's own text (editions/manifesto/Q.txt) that the reading edition shows when read as Q. */
const ZONED = ["The Socialists of all countries", "the only saviours of the bourgeoisie"];

describe("the reading edition with a witness's page images", () => {
  const env = withServerAndBrowser();
  const dir = mkdtempSync(join(tmpdir(), "variorum-site-scans-"));
  const site = join(dir, "site");
  // A page image made here (one grey level: test data, never passed off as a scan of the source).
  const image = makePng(800, 1000, 230);

  beforeAll(async () => {
    await publish(env.server);
    const editor = env.server.token("editor");
    const up = await fetch(`${env.server.url}/api/editions/manifesto/witnesses/Q/pages?filename=q-1.png`, {
      method: "POST",
      headers: { authorization: `Bearer ${editor}` },
      body: Buffer.from(image),
    });
    expect(up.status).toBe(201);
    // Q's transcription: a passage of its own words (editions/manifesto/Q.txt), typed in over the
    // websocket as a transcriber would, then two zones over them, drawn as the workbench draws them.
    const started = await fetch(`${env.server.url}/api/editions/manifesto/witnesses/Q/transcription`, {
      method: "POST",
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(started.status).toBe(201);
    const passage = readFileSync(join(EDITIONS, "manifesto/Q.txt"), "utf8")
      .split("\n")
      .find((l) => l.startsWith(ZONED[0] as string)) as string;
    const client = nodeClient(env.server.wsUrl, witnessDocName("manifesto", "Q"), { token: editor });
    await synced(client.provider);
    const para = client.doc.getXmlFragment(ROOTS.body).get(0) as Y.XmlElement;
    const text = new Y.XmlText(passage);
    para.insert(0, [text]);
    ZONED.forEach((words, i) => {
      const at = plainText(text).indexOf(words);
      const end = Y.createRelativePositionFromTypeIndex(text, at + words.length - 1, 0);
      end.assoc = -1;
      addZone(
        client.doc,
        {
          page: 1,
          x: 0.1,
          y: 0.1 + i * 0.3,
          w: 0.7,
          h: 0.08,
          start: encodeRelative(Y.createRelativePositionFromTypeIndex(text, at, 0)),
          end: encodeRelative(end),
          by: "Zoe",
          at: 1,
        },
        `zone-q${i + 1}`,
      );
    });
    await until(
      async () =>
        ((await env.server.documents.with(
          witnessDocName("manifesto", "Q"),
          (d) => listZones(d.ydoc).length,
        )) ?? 0) === 2,
      "the zones to reach the server",
    );
    client.provider.destroy();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const open = async (url: string): Promise<Page> => {
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
    await page.goto(url);
    return page;
  };

  /** Reads the text as Q and checks the page image beside it and the linking both ways. */
  const readAsQ = async (page: Page) => {
    const panel = page.locator('aside.scans[data-witness="Q"]');
    expect(await panel.isVisible()).toBe(false);
    await page.locator("#witness").selectOption("Q");
    await panel.waitFor({ state: "visible" });
    const img = panel.locator("figure.scan:not([hidden]) img");
    await untilPage(
      async () => (await img.evaluate((i: HTMLImageElement) => i.naturalWidth)) === 800,
      "the image",
    );
    // Beside the text: the panel is to the right of the text, not over it.
    const textBox = await page.locator("#text").boundingBox();
    const panelBox = await panel.boundingBox();
    expect((panelBox?.x ?? 0) >= (textBox?.x ?? 0) + (textBox?.width ?? 0) - 1).toBe(true);

    // Text → zone: the pointer on the zoned words lights their zone, and only it.
    const words = page.locator('#text span.zoned[data-zone="zone-q1"]');
    expect((await words.allTextContents()).join("")).toBe(ZONED[0]);
    await words.first().hover();
    await untilPage(
      async () => (await panel.locator(".zone.lit").getAttribute("data-zone")) === "zone-q1",
      "zone q1 to light up",
    );
    expect(await panel.locator(".zone.lit").count()).toBe(1);
    // Zone → text: the pointer on the second zone lights its words.
    await panel.locator('.zone[data-zone="zone-q2"]').hover();
    await untilPage(
      async () => (await page.locator("#text .zone-lit").allTextContents()).join("") === ZONED[1],
      "the words of zone q2 to light up",
    );
    // Back to the base text: no panel, no wrapped words.
    await page.locator("#witness").selectOption({ index: 0 });
    await panel.waitFor({ state: "hidden" });
    expect(await page.locator("#text span.zoned").count()).toBe(0);
  };

  it("shows Q's page image beside the text read as Q, lighting a zone from its words and words from their zone", async () => {
    const page = await open(`${env.server.url}/read/manifesto/`);
    await readAsQ(page);
    await page.close();
  });

  it("carries the images into the static export, which works opened from disk", async () => {
    const run = runVariorum(env.server.dataDir, "export", "html", "manifesto", site);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/and 1 page images/);
    expect(existsSync(join(site, "scans/Q/1.png"))).toBe(true);
    expect(new Uint8Array(readFileSync(join(site, "scans/Q/1.png")))).toEqual(image);
    const page = await open(`file://${join(site, "index.html")}`);
    expect(await page.locator('aside.scans[data-witness="Q"] img').first().getAttribute("src")).toBe(
      "scans/Q/1.png",
    );
    await readAsQ(page);
    await page.close();
  });
});

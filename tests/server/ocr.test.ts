import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Node } from "prosemirror-model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import * as Y from "yjs";
import { decodeRelative, plainText } from "../../schema/comments.ts";
import { ROOTS } from "../../schema/layout.ts";
import { LOW_CONFIDENCE_REASON } from "../../schema/ocrDraft.ts";
import { pageText, parseTesseractTsv } from "../../schema/ocrResult.ts";
import { schema } from "../../schema/schema.ts";
import { importTei } from "../../schema/teiImport.ts";
import { listZones, type Zone } from "../../schema/zones.ts";
import type { JobLine, OcrJob } from "../../server/ocr/jobs.ts";
import { tesseractTsv } from "../../server/ocr/tesseract.ts";
import { openSqliteStore } from "../../server/store.ts";
import { characterErrorRate } from "../helpers/cer.ts";
import { runVariorum } from "../helpers/cli.ts";
import { quotedPassages, renderNewspaperPage, type TestPage } from "../helpers/newspaper.ts";
import { EXCERPTS } from "../helpers/paths.ts";
import { nodeClient, startTestServer, synced, type TestServer, tempDir, until } from "../helpers/server.ts";
import { loadDoc } from "../helpers/storedDoc.ts";
import { jingErrors } from "../helpers/tei.ts";

/** The transcription's text: lines as the line breaks make them, paragraphs on lines of their own. */
function transcribedText(doc: Node): string {
  const blocks: string[] = [];
  doc.forEach((block) => {
    blocks.push(
      block.textBetween(0, block.content.size, "\n", (n) => (n.type.name === "hard_break" ? "\n" : "")),
    );
  });
  return blocks.join("\n");
}

/** The text of page n of the transcription (after its page break, up to the next). */
function pageTextOf(doc: Node, n: number): string {
  let breaks = 0;
  let out = "";
  doc.descendants((node) => {
    if (node.type.name === "page_break") breaks++;
    else if (Math.max(1, breaks) !== n) return true;
    else if (node.isText) out += node.text;
    else if (node.isBlock || node.type.name === "hard_break") out += "\n";
    return true;
  });
  return out;
}

const known = (page: TestPage) => page.lines.map((l) => l.text).join("\n");

/** The Russian text the Russian edition of the ICC's book gives (sources/excerpts.txt, section B). */
function russianPassages(): string[] {
  const text = readFileSync(EXCERPTS, "utf8");
  const section = text.slice(text.indexOf("SECTION B"), text.indexOf("SECTION C"));
  const body = section.split(/^-{20,}$/m)[1] ?? "";
  return body
    .trim()
    .split(/\n\s*\n/)
    .slice(0, 3);
}

/** Where a zone's words are: the text between its two relative positions. */
function zoneText(ydoc: Y.Doc, z: Zone): string {
  const s = Y.createAbsolutePositionFromRelativePosition(decodeRelative(z.start), ydoc);
  const e = Y.createAbsolutePositionFromRelativePosition(decodeRelative(z.end), ydoc);
  if (!s || !e || s.type !== e.type) return "";
  return plainText(s.type as Y.XmlText).slice(s.index, e.index);
}

const holds = (z: Zone, b: { x: number; y: number; w: number; h: number }, eps = 1e-9) =>
  b.x >= z.x - eps && b.y >= z.y - eps && b.x + b.w <= z.x + z.w + eps && b.y + b.h <= z.y + z.h + eps;

// A test page made here from the older English wording the Manifesto is quoted in (never a scan).
let page: TestPage;
beforeAll(async () => {
  page = await renderNewspaperPage(quotedPassages());
}, 60_000);

describe("an OCR draft of a witness's page", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.dispose());

  const api = (path: string) => `${server.url}/api/editions/manifesto/witnesses/WD${path}`;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it("reads a degraded two-column page into the empty transcription within 5 % CER, a zone per line, progress shown live", async () => {
    const editor = server.userToken("Olga", "editor");
    expect((await fetch(api("/transcription"), { method: "POST", headers: as(editor) })).status).toBe(201);
    const up = await fetch(api("/pages?filename=wd-test-page.png"), {
      method: "POST",
      headers: as(editor),
      body: Buffer.from(page.png),
    });
    expect(up.status, await up.clone().text()).toBe(201);

    // A reviewer watching the transcription sees the job's progress in the server's awareness state.
    const watcher = nodeClient(server.wsUrl, "manifesto/witness/WD", { token: server.token("reviewer") });
    await synced(watcher.provider);
    const seen: string[] = [];
    watcher.provider.awareness.on("change", () => {
      for (const state of watcher.provider.awareness.getStates().values()) {
        const jobs = (state as { ocr?: { page: number; state: string }[] }).ocr ?? [];
        for (const j of jobs) if (j.page === 1 && seen.at(-1) !== j.state) seen.push(j.state);
      }
    });

    const started = await fetch(api("/pages/1/ocr"), { method: "POST", headers: as(editor) });
    expect(started.status, await started.clone().text()).toBe(202);
    expect(await started.json()).toMatchObject({ page: 1, lang: "eng", state: "queued", by: "Olga" });

    const job = await jobEnded(`${api("/pages/1/ocr")}`, editor);
    expect(job.state, job.error ?? "").toBe("done");
    const result = job.result as NonNullable<OcrJob["result"]>;
    await until(
      () => listZones(watcher.doc).length === result.lines.length,
      "the draft to reach the watcher",
    );
    expect(seen).toEqual(expect.arrayContaining(["reading", "writing", "done"]));
    expect(seen.at(-1)).toBe("done");

    const doc = yXmlFragmentToProseMirrorRootNode(watcher.doc.getXmlFragment(ROOTS.body), schema);
    const text = transcribedText(doc);
    const cer = characterErrorRate(known(page), text);
    console.log(
      `OCR of the test page: character error rate ${(cer * 100).toFixed(2)} % over ${known(page).length} characters; ${result.words} words, ${result.lowConfidence} of low confidence, mean confidence ${result.meanConfidence}; ${result.seconds} s`,
    );
    expect(cer).toBeLessThan(0.05);
    expect(result.meanConfidence).toBeGreaterThan(50);

    // Machine output, proposed: every word of the draft carries the ocr mark; doubtful ones are unclear.
    let words = 0;
    let doubtful = 0;
    doc.descendants((n) => {
      if (!n.isText || !n.text?.trim()) return;
      expect(n.marks.map((m) => m.type.name)).toContain("ocr");
      words++;
      if (n.marks.some((m) => m.type.name === "unclear" && m.attrs.reason === LOW_CONFIDENCE_REASON))
        doubtful++;
    });
    expect(words).toBeGreaterThan(0);
    expect(doubtful > 0).toBe(result.lowConfidence > 0);
    expect(doc.firstChild?.firstChild?.type.name).toBe("page_break");

    // Every line got a zone that holds its words' boxes and exactly its words in the text.
    const zones = new Map(listZones(watcher.doc).map((z) => [z.id, z]));
    expect(zones.size).toBe(result.lines.length);
    for (const line of result.lines as JobLine[]) {
      const z = zones.get(line.zone);
      expect(z, `zone of line "${line.text}"`).toBeDefined();
      for (const w of line.words)
        expect(holds(z as Zone, w), `"${w.text}" in the zone of "${line.text}"`).toBe(true);
      expect(zoneText(watcher.doc, z as Zone)).toBe(line.text);
      expect(z?.page).toBe(1);
    }
    // And the zones are where the lines were printed: each printed line's middle lies in a zone.
    for (const l of page.lines) {
      const mid = {
        x: (l.box.x + l.box.w / 2) / page.width,
        y: (l.box.y + l.box.h / 2) / page.height,
        w: 0,
        h: 0,
      };
      expect(
        [...zones.values()].some((z) => holds(z, mid)),
        `a zone over "${l.text}"`,
      ).toBe(true);
    }

    // The page holds words now: OCR again is refused, and nothing changes.
    const before = Y.encodeStateVector(watcher.doc);
    const again = await fetch(api("/pages/1/ocr"), { method: "POST", headers: as(editor) });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatch(
      /^page 1 of WD already holds “MANIFESTO.*: OCR fills only empty pages/,
    );
    expect(Y.encodeStateVector(watcher.doc)).toEqual(before);
    watcher.provider.destroy();
  }, 180_000);

  it("reads a Russian page in Russian into page 2, after page 1's draft", async () => {
    const editor = server.token("editor");
    const russian = await renderNewspaperPage(russianPassages(), { headline: null });
    const up = await fetch(api("/pages?filename=ru-test-page.png"), {
      method: "POST",
      headers: as(editor),
      body: Buffer.from(russian.png),
    });
    expect(up.status).toBe(201);
    const started = await fetch(api("/pages/2/ocr?lang=rus"), { method: "POST", headers: as(editor) });
    expect(started.status, await started.clone().text()).toBe(202);
    const job = await jobEnded(api("/pages/2/ocr"), editor);
    expect(job.state, job.error ?? "").toBe("done");
    expect(job.lang).toBe("rus");

    const reader = nodeClient(server.wsUrl, "manifesto/witness/WD", { token: server.token("reviewer") });
    await synced(reader.provider);
    const doc = yXmlFragmentToProseMirrorRootNode(reader.doc.getXmlFragment(ROOTS.body), schema);
    const breaks: string[] = [];
    doc.descendants((n) => {
      if (n.type.name === "page_break") breaks.push(String(n.attrs.n));
    });
    expect(breaks).toEqual(["1", "2"]);
    const cer = characterErrorRate(known(russian), pageTextOf(doc, 2));
    // The 5 % is the English page's. Russian pages made the same way measured 4.5 % and 8.2 %
    // (two seeds of the speckle; plain Tesseract 9.4 % and 6.5 %): Tesseract's Russian reading of such a
    // page varies more, so this test holds it to 10 % and prints plain Tesseract's figure beside it.
    const dir = tempDir();
    writeFileSync(join(dir, "ru.png"), russian.png);
    const plain = characterErrorRate(
      known(russian),
      pageText(parseTesseractTsv(await tesseractTsv(join(dir, "ru.png"), "rus"))),
    );
    rmSync(dir, { recursive: true, force: true });
    console.log(
      `OCR of the Russian test page: character error rate ${(cer * 100).toFixed(2)} % (plain Tesseract: ${(plain * 100).toFixed(2)} %)`,
    );
    expect(cer).toBeLessThan(0.1);
    expect(pageTextOf(doc, 1)).toContain("MANIFESTO");
    const zones = listZones(reader.doc).filter((z) => z.page === 2);
    expect(zones.length).toBe(job.result?.lines.length);
    reader.provider.destroy();
  }, 180_000);

  it("exports the drafted transcription as TEI valid against tei_all, the doubtful words unclear, a zone per line", async () => {
    const res = await server.get("/api/editions/manifesto/witnesses/WD/tei");
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(jingErrors(xml)).toEqual([]);
    expect(xml).toContain('<unclear reason="ocr-low-confidence">');
    // Not yet accepted by a person: the draft stays marked as one in the TEI, and reads back as one.
    expect(xml).toContain('<seg type="ocr-draft">');
    const back = importTei(xml, "wd-back");
    if (!back.ok) throw new Error(back.errors.join("\n"));
    let drafted = 0;
    yXmlFragmentToProseMirrorRootNode(back.doc.getXmlFragment("body"), schema).descendants((n) => {
      if (n.isText && n.marks.some((m) => m.type.name === "ocr")) drafted++;
    });
    expect(drafted).toBeGreaterThan(0);
    const job = (await (
      await server.get("/api/editions/manifesto/witnesses/WD/pages/1/ocr")
    ).json()) as OcrJob;
    expect((xml.match(/<zone /g) ?? []).length).toBeGreaterThanOrEqual(job.result?.lines.length ?? 1);
  });

  it("collates a transcription that still holds a draft, saying how much of it is the machine's", async () => {
    const res = await fetch(api("/collate"), {
      method: "POST",
      headers: { ...as(server.token("editor")), "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    const summary = (await res.json()) as { ocrDraftCharacters: number };
    expect(summary.ocrDraftCharacters).toBeGreaterThan(500);
  });

  it("leaves a page alone that a person began to type while its OCR ran, saying so", async () => {
    const editor = server.token("editor");
    const up = await fetch(api("/pages?filename=again.png"), {
      method: "POST",
      headers: as(editor),
      body: Buffer.from(page.png),
    });
    expect(((await up.json()) as { n: number }).n).toBe(3);
    const typist = nodeClient(server.wsUrl, "manifesto/witness/WD", { token: editor });
    await synced(typist.provider);
    const started = await fetch(api("/pages/3/ocr"), { method: "POST", headers: as(editor) });
    expect(started.status).toBe(202);
    // While the page is cleaned and read, a person starts page 3 by hand.
    const p = new Y.XmlElement("paragraph");
    const pb = new Y.XmlElement("page_break");
    pb.setAttribute("n", "3");
    p.insert(0, [pb, new Y.XmlText("The Socialists of all countries")]);
    const body = typist.doc.getXmlFragment(ROOTS.body);
    body.insert(body.length, [p]);
    const job = await jobEnded(api("/pages/3/ocr"), editor);
    expect(job.state).toBe("failed");
    expect(job.error).toBe(
      "page 3 of WD already holds “The Socialists of all countries”: OCR fills only empty pages and never overwrites what a person typed",
    );
    const doc = yXmlFragmentToProseMirrorRootNode(typist.doc.getXmlFragment(ROOTS.body), schema);
    expect(pageTextOf(doc, 3).trim()).toBe("The Socialists of all countries");
    expect(listZones(typist.doc).filter((z) => z.page === 3)).toEqual([]);
    typist.provider.destroy();
  }, 180_000);

  it("refuses a reviewer, a page that does not exist and a language it does not read, each saying why", async () => {
    const reviewer = await fetch(api("/pages/1/ocr"), {
      method: "POST",
      headers: as(server.token("reviewer")),
    });
    expect(reviewer.status).toBe(403);
    const editor = server.token("editor");
    const missing = await fetch(api("/pages/9/ocr"), { method: "POST", headers: as(editor) });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toBe('no page 9 of witness "WD" in edition "manifesto"');
    const french = await fetch(api("/pages/1/ocr?lang=fra"), { method: "POST", headers: as(editor) });
    expect(french.status).toBe(400);
    expect((await french.json()).error).toBe('OCR language "fra" is not one this server reads: eng, rus');
    const unknown = await fetch(`${server.url}/api/editions/manifesto/witnesses/XX/pages/1/ocr`, {
      method: "POST",
      headers: as(editor),
    });
    expect(unknown.status).toBe(404);
    // A page attached by reference (a IIIF canvas) has no bytes here to read.
    const [external] = server.db.pages.addExternal([
      {
        editionId: "manifesto",
        siglum: "Q",
        url: "https://iiif.example.org/q/1.jpg",
        service: null,
        source: "https://iiif.example.org/q/manifest.json",
        kind: "jpeg",
        width: 1000,
        height: 1400,
        addedBy: null,
      },
    ]);
    const elsewhere = await fetch(
      `${server.url}/api/editions/manifesto/witnesses/Q/pages/${external?.n}/ocr`,
      { method: "POST", headers: as(editor) },
    );
    expect(elsewhere.status).toBe(409);
    expect((await elsewhere.json()).error).toMatch(
      /an image elsewhere .* OCR reads only page images added to this server/,
    );
  });
});

/** Polls a job's status until it has ended. */
async function jobEnded(url: string, token: string): Promise<OcrJob> {
  const start = Date.now();
  for (;;) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const job = (await res.json()) as OcrJob;
    if (job.state === "done" || job.state === "failed") return job;
    if (Date.now() - start > 150_000) throw new Error(`the OCR job did not end: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("npx variorum ocr", () => {
  it("fills the witness's empty pages with the draft, prints progress and the mean confidence, then leaves them alone", () => {
    const dir = tempDir();
    const file = join(dir, "wd-test-page.png");
    writeFileSync(file, page.png);
    const added = runVariorum(dir, "pages", "add", "manifesto", "WD", file);
    expect(added.status, added.stderr).toBe(0);
    const run = runVariorum(dir, "ocr", "manifesto", "WD", "--lang", "eng");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^OCR of WD in manifesto: 1 page\(s\), language eng, tesseract \d/m);
    expect(run.stdout).toMatch(/^page 1 of 1: reading…$/m);
    expect(run.stdout).toMatch(
      /^page 1 of 1: \d+ words in \d+ lines, \d+ read with low confidence, mean confidence \d+\.\d/m,
    );
    expect(run.stdout).toMatch(/^drafted 1 page\(s\) of WD, mean confidence \d+\.\d; the draft is proposed/m);

    const store = openSqliteStore(dir);
    const ydoc = loadDoc(store, "manifesto/witness/WD");
    store.close();
    const text = transcribedText(yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(ROOTS.body), schema));
    const cer = characterErrorRate(known(page), text);
    console.log(`OCR by the command line: character error rate ${(cer * 100).toFixed(2)} %`);
    expect(cer).toBeLessThan(0.05);
    expect(listZones(ydoc).length).toBeGreaterThan(page.lines.length / 2);

    const again = runVariorum(dir, "ocr", "manifesto", "WD");
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^page 1 of 1: left alone — page 1 of WD already holds “MANIFESTO/m);
    expect(again.stdout).toMatch(/^no page of WD was drafted$/m);

    const bad = runVariorum(dir, "ocr", "manifesto", "WD", "--lang", "fra");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--lang "fra" is not one OCR reads here: eng, rus/);
  }, 180_000);
});

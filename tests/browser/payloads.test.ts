import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createEntry } from "../../schema/apparatus.ts";
import { createThread } from "../../schema/comments.ts";
import { createGlossaryEntry } from "../../schema/glossary.ts";
import { exportLatex } from "../../schema/latex.ts";
import { setWitness } from "../../schema/witnesses.ts";
import { openEditor } from "../helpers/editorPage.ts";
import { nodeClient, synced, until } from "../helpers/server.ts";
import { publish, withServerAndBrowser } from "../helpers/suite.ts";
import { jingErrors } from "../helpers/tei.ts";

/** Each payload sets window.__xss to its number if it ever runs. */
const PAYLOADS = {
  note: `<img src=x onerror="window.__xss=1">`,
  definition: `<script>window.__xss=2</script>`,
  reading: `"><svg onload="window.__xss=3">\\input{/etc/passwd}`,
  comment: `<iframe src="javascript:window.__xss=4"></iframe>`,
  witness: `<script>window.__xss=5</script><img src=x onerror="window.__xss=5">`,
};

describe("nothing a user types is ever run as HTML", () => {
  const env = withServerAndBrowser();
  beforeAll(async () => {
    const server = env.server;
    const { doc, provider } = nodeClient(server.wsUrl, "manifesto", { token: server.token("editor") });
    await synced(provider);
    doc.transact(() => {
      const p = doc.getXmlFragment("body").get(1) as Y.XmlElement;
      const note = new Y.XmlElement("note");
      note.setAttribute("id", "note-payload");
      note.setAttribute("kind", "editorial");
      p.insert(p.length, [note]);
      note.insert(0, [new Y.XmlText(PAYLOADS.note)]);
      const text = p.get(0) as Y.XmlText;
      text.format(4, 9, { "lemma--payload1": { app: "app-payload" } });
      createEntry(doc, {
        id: "app-payload",
        type: "substantive",
        source: "editor",
        by: "x",
        readings: { WD: { kind: "text", text: PAYLOADS.reading } },
        status: "accepted",
      });
      createGlossaryEntry(doc, {
        id: "gl-payload",
        kind: "term",
        headword: "Payload",
        forms: [],
        definition: PAYLOADS.definition,
        wikidata: "",
        viaf: "",
        source: "",
      });
      text.format(20, 8, { "gloss--payload1": { entry: "gl-payload" } });
      createThread(doc, "c-payload", { kind: "entry", app: "app-payload" }, "x", PAYLOADS.comment);
      setWitness(doc, {
        siglum: "XSS",
        title: PAYLOADS.witness,
        publication: PAYLOADS.witness,
        date: "",
        language: "",
        coverage: "partial",
        covers: "",
        description: "",
        address: "",
        provenance: "",
        hasText: true,
        coveredBlocks: [],
      });
    });
    await until(
      () => server.opened("manifesto").ydoc.getMap("witnesses").has("XSS"),
      "the payloads to be stored",
    );
    provider.destroy();
    await publish(server);
  });

  const inert = async (page: Page, where: string) => {
    await page.waitForTimeout(300);
    const state = await page.evaluate(() => ({
      ran: (window as unknown as { __xss?: number }).__xss ?? null,
      injected: document.querySelectorAll('img[src="x"], svg[onload], iframe, script:not([src])').length,
    }));
    expect(state, where).toEqual({ ran: null, injected: 0 });
  };

  it("renders them as text in the editor and its panels", async () => {
    const page = await openEditor(env.browser, env.server.url, "Ed", env.server.userToken("Ed", "editor"));
    await inert(page, "editor");
    await page.locator(".note-marker").first().click();
    await inert(page, "open note");
    await page.locator('.entry-line[data-app="app-payload"]').click();
    expect(await page.getByRole("textbox", { name: "Reading of WD" }).inputValue()).toBe(PAYLOADS.reading);
    await page.getByRole("tab", { name: "Glossary" }).click();
    await page.getByRole("searchbox", { name: "Search the glossary" }).fill("Payload");
    await page.getByRole("button", { name: "Edit Payload" }).click();
    expect(await page.getByRole("textbox", { name: "Definition" }).inputValue()).toBe(PAYLOADS.definition);
    await page.locator(".ProseMirror .gloss").first().hover();
    await page.getByRole("tab", { name: "Witnesses" }).click();
    expect(await page.locator('[data-siglum="XSS"] h3').textContent()).toContain(PAYLOADS.witness);
    await page.getByRole("tab", { name: "Comments" }).click();
    expect(await page.locator('[data-thread="c-payload"] .text').textContent()).toBe(PAYLOADS.comment);
    await inert(page, "panels");
    await page.close();
  });

  it("renders them as text in the reading edition, with every witness and in the glossary", async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/read/manifesto/`);
    await inert(page, "reading edition");
    await page.locator('button[popovertarget="pop-note-payload"]').click();
    await page.keyboard.press("Escape");
    await page.getByRole("combobox", { name: "Read the text as" }).selectOption("XSS");
    await inert(page, "reading edition, popovers and witnesses");
    await page.goto(`${env.server.url}/read/manifesto/glossary.html#gl-payload`);
    expect(await page.locator("#gl-payload").textContent()).toContain(PAYLOADS.definition);
    await inert(page, "glossary page");
    await page.close();
  });

  it("escapes them in the TEI, HTML and LaTeX exports", async () => {
    const tei = await (await fetch(`${env.server.url}/api/editions/manifesto/tei`)).text();
    expect(tei).toContain("&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;");
    expect(tei).toContain("&lt;script&gt;window.__xss=2&lt;/script&gt;");
    expect(tei).not.toMatch(/<script|<img|<svg|<iframe/);
    expect(jingErrors(tei)).toEqual([]);
    const html = await (await fetch(`${env.server.url}/read/manifesto/`)).text();
    expect(html).not.toMatch(/<script>window|<img src=x|<svg onload|<iframe/);
    const doc = (await env.server.documents.get("manifesto"))?.ydoc as Y.Doc;
    const latex = exportLatex(doc);
    expect(latex).toContain("\\textbackslash{}input\\{/etc/passwd\\}");
    expect(latex).not.toContain("\\input{");
  });
});

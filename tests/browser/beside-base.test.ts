import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { placements, readEntry } from "../../schema/apparatus.ts";
import { ROOTS } from "../../schema/layout.ts";
import { schema } from "../../schema/schema.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { openEditor, selectText } from "../helpers/editorPage.ts";
import { makePng } from "../helpers/images.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";
import { syntheticWitnessFile } from "../helpers/synthetic.ts";

/** The id of the block the editor's caret is in. */
const caretBlock = (page: Page) =>
  page.evaluate(() => {
    const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
      .variorum;
    return view.state.selection.$from.parent.attrs.id as string | null;
  });

/** Whether the editor's caret (or selection's start) is within the window. */
const caretInView = (page: Page) =>
  page.evaluate(() => {
    const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
      .variorum;
    const { top } = view.coordsAtPos(view.state.selection.from);
    return top >= 0 && top < window.innerHeight;
  });

/** The lit paragraphs of the pane, and whether the first is inside the pane's visible height. */
const lit = (page: Page) =>
  page.evaluate(() => {
    const pane = document.querySelector(".beside-pane") as HTMLElement;
    const ps = [...pane.querySelectorAll<HTMLElement>(".beside-passage.lit")];
    const first = ps[0]?.getBoundingClientRect();
    const box = pane.getBoundingClientRect();
    return {
      texts: ps.map((p) => (p.textContent ?? "").slice(0, 40)),
      visible: first ? first.top >= box.top - 1 && first.top < box.bottom : false,
    };
  });

describe("a witness beside the base text", () => {
  const env = withServerAndBrowser();
  const dir = mkdtempSync(join(tmpdir(), "variorum-beside-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("shows the Russian passages beside the ICC text, following the caret, and leads back to the base", async () => {
    const live = (await env.server.documents.get("manifesto"))?.ydoc as Y.Doc;
    const { yXmlFragmentToProseMirrorRootNode } = await import("y-prosemirror");
    const body = yXmlFragmentToProseMirrorRootNode(live.getXmlFragment(ROOTS.body), schema);
    // Where the entry stands whose RU reading is the passage "Мы, Рабочая группа РКП(б)…".
    const target = placements(body).find((p) =>
      (readEntry(live, p.id)?.readings.RU?.text ?? "").startsWith("Мы, Рабочая группа РКП(б)"),
    );
    expect(target?.blockId).toBeTruthy();

    const page = await openEditor(
      env.browser,
      env.server.url,
      "Rea",
      env.server.userToken("Rea", "reviewer"),
    );
    await page.getByRole("combobox", { name: "Witness to show beside the base" }).selectOption("RU");
    const pane = page.locator(".beside-pane");
    await pane.waitFor();
    expect(await pane.locator(".beside-text").getAttribute("lang")).toBe("ru");
    expect(await pane.locator(".beside-passage").count()).toBeGreaterThanOrEqual(4);
    // The witness's pane is left of the base text, beside it.
    const [paneBox, editorBox] = [await pane.boundingBox(), await page.locator("#editor").boundingBox()];
    expect((paneBox?.x ?? 0) + (paneBox?.width ?? 0)).toBeLessThanOrEqual((editorBox?.x ?? 0) + 1);

    // The caret in the base paragraph of "We have already observed…": its Russian passage is lit, in view.
    await selectText(page, "We have already observed");
    await expect
      .poll(() => lit(page))
      .toEqual({ texts: ["Мы уже говорили, что недостатки эти объя"], visible: true });
    // A paragraph of the base RU lacks: nothing lit, and the pane says so.
    await selectText(page, "By way of a preface");
    await expect.poll(async () => (await lit(page)).texts).toEqual([]);
    expect(await pane.locator("[role=status]").textContent()).toBe(
      "RU has nothing at this paragraph of the base.",
    );

    // A click on a Russian passage puts the caret in the base paragraph it collates with.
    await pane.locator(".beside-passage", { hasText: /^Мы, Рабочая группа РКП\(б\)/ }).click();
    await expect.poll(() => caretBlock(page)).toBe(target?.blockId);
    // … and scrolls the base there: the page had been at its top, this paragraph far below it.
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
    expect(await caretInView(page)).toBe(true);
    await page.close();
  });

  it("shows only the last witness chosen when the choice changes before a text arrives, and stops following the caret once closed", async () => {
    const page = await openEditor(
      env.browser,
      env.server.url,
      "Rea",
      env.server.userToken("Rea", "reviewer"),
    );
    const listeners = () =>
      page.evaluate(() =>
        (window as unknown as { variorum: { docListeners: () => number } }).variorum.docListeners(),
      );
    const select = page.getByRole("combobox", { name: "Witness to show beside the base" });
    const pane = page.locator(".beside-pane");
    const other = (
      await select.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))
    ).find((v) => v !== "" && v !== "RU");
    if (!other) throw new Error("the edition has no second witness with text beside RU");
    const idle = await listeners();

    // Opening and closing the pane leaves as many listeners on the document as before.
    for (let i = 0; i < 3; i++) {
      await select.selectOption("RU");
      await pane.waitFor();
      await select.selectOption("");
      await pane.waitFor({ state: "detached" });
    }
    expect(await listeners()).toBe(idle);

    // RU's text is held back until the other witness is shown: RU then comes too late to be shown.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const isRuText = (url: URL) => url.pathname.endsWith("/witnesses/RU") && url.search === "?text=own";
    await page.route(isRuText, async (route) => {
      await held;
      await route.continue();
    });
    await select.selectOption("RU");
    await select.selectOption(other);
    await expect
      .poll(() => pane.locator("h2").allTextContents())
      .toEqual([expect.stringMatching(new RegExp(`^${other}\\b`))]);
    const ruArrived = page.waitForResponse((res) => isRuText(new URL(res.url())));
    release();
    await ruArrived;
    // What a late text would do, it does at once on arrival: a moment later, there is still one pane.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    expect(await pane.locator("h2").allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`^${other}\\b`)),
    ]);
    await select.selectOption("");
    await expect.poll(() => pane.count()).toBe(0);
    expect(await listeners()).toBe(idle);
    await page.unroute(isRuText);
    await page.context().close();
  });

  it("puts the base beside a witness's own text, and on a witness with scans lays out scan | text | base", async () => {
    const icc = witnessText(manifestoDoc(), "ICC");
    if (!icc.ok) throw new Error(icc.reason);
    const file = syntheticWitnessFile(icc.text, dir, "tests/browser/beside-base.test.ts");
    const token = env.server.userToken("Ed", "editor");
    const api = `${env.server.url}/api/editions/manifesto/witnesses/SYN`;
    const auth = { authorization: `Bearer ${token}` };
    expect(
      (
        await fetch(`${api}?filename=synthetic.txt`, {
          method: "POST",
          headers: auth,
          body: readFileSync(file),
        })
      ).status,
    ).toBe(201);

    const page = await openEditor(env.browser, env.server.url, "Ed", token);
    await page.goto(`${env.server.url}/editions/manifesto/witness/SYN`);
    await page.waitForSelector('#status[data-state="synced"]');
    const pane = page.locator(".beside-pane");
    await pane.waitFor();
    expect(await pane.locator("h2").textContent()).toBe("Base text (ICC) beside SYN");
    // SYN is paragraphs 2 and 3 of the ICC text, each with a word changed: the caret in its second
    // paragraph lights the base's third, "civilised world" and all.
    const third = icc.text.split("\n\n")[2] as string;
    await selectText(page, "civilized world");
    await expect.poll(() => lit(page)).toEqual({ texts: [third.slice(0, 40)], visible: true });
    await selectText(page, "heroic struggle");
    await expect
      .poll(async () => (await lit(page)).texts)
      .toEqual([(icc.text.split("\n\n")[1] as string).slice(0, 40)]);
    // The transcription is left of the base, and the page has two columns of text.
    const textBox = await page.locator("#editor").boundingBox();
    const baseBox = await pane.boundingBox();
    expect((textBox?.x ?? 0) + (textBox?.width ?? 0)).toBeLessThanOrEqual((baseBox?.x ?? 0) + 1);

    // With a page image, the scans come first: scan | transcription | base.
    expect(
      (
        await fetch(`${api}/pages?filename=p.png`, {
          method: "POST",
          headers: auth,
          body: Buffer.from(makePng(600, 800)),
        })
      ).status,
    ).toBe(201);
    await page.reload();
    await page.waitForSelector('#status[data-state="synced"]');
    await page.waitForFunction(() => document.body.classList.contains("has-scans"));
    const xs = await Promise.all(
      [".scan-stage", "#editor", ".beside-pane"].map(
        async (s) => (await page.locator(s).boundingBox())?.x ?? -1,
      ),
    );
    expect(xs[0]).toBeGreaterThanOrEqual(0);
    expect(xs[0]).toBeLessThan(xs[1] as number);
    expect(xs[1]).toBeLessThan(xs[2] as number);
    await page.close();
  });
});

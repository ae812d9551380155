import { describe, expect, it } from "vitest";
import { until } from "../helpers/editorPage.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";

describe("the transcription page", () => {
  const env = withServerAndBrowser();

  it("says what it is for and which witness, gives a page to type on with only fitting controls, and leads back and on to collation", async () => {
    const token = env.server.userToken("Tess", "editor");
    const started = await fetch(`${env.server.url}/api/editions/manifesto/witnesses/WD/transcription`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(started.status).toBe(201);
    const { editor } = (await started.json()) as { editor: string };

    const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${env.server.url}/login?token=${token}`);
    await page.goto(`${env.server.url}${editor}`);
    await page.waitForSelector('#status[data-state="synced"]');

    expect(await page.getByRole("heading", { name: "Transcription of witness WD" }).count()).toBe(1);
    const intro = page.locator(".transcription-intro");
    await until(
      async () => ((await intro.textContent()) ?? "").includes("Workers' Dreadnought"),
      "the witness's description",
    );
    expect(await intro.textContent()).toMatch(/exactly as printed/);
    expect(await page.getByRole("link", { name: "← Back to the edition" }).getAttribute("href")).toBe(
      "/editions/manifesto",
    );
    // Only the controls that mean something on a witness's own text: no notes, variants or glossary links.
    const labels = await page
      .locator("#toolbar button")
      .evaluateAll((bs) => bs.map((b) => b.getAttribute("aria-label")));
    expect(labels.some((l) => /footnote|variant|glossary/i.test(l ?? ""))).toBe(false);
    const height = await page.locator(".ProseMirror").evaluate((el) => el.getBoundingClientRect().height);
    expect(height).toBeGreaterThan(300);
    for (const control of ["Page break", "Line break", "Gap", "Unclear", "Supplied", "A note to the team"])
      expect(
        labels.some((l) => (l ?? "").includes(control)),
        control,
      ).toBe(true);
    expect(await page.getByRole("tab", { name: "Notes to the team" }).count()).toBe(1);

    // Typing works, and Collate turns the transcription into proposed entries to review.
    await page.locator(".ProseMirror").click();
    // A transcriber's remark before the text: collation must list it for a person, never place it.
    await page.keyboard.type("[Our correspondent sends the following]");
    await page.keyboard.press("Enter");
    // The next key only once the new paragraph holds the caret. Sent within a millisecond of Enter (no
    // person types so), Chromium and ProseMirror sometimes put the first letter after the caret, and the
    // paragraph then read "very conscious … revolution.E": a third of the runs failed so.
    await page.waitForFunction(() => {
      const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
        .variorum;
      const { $from } = view.state.selection;
      return view.state.doc.childCount === 2 && $from.parent.content.size === 0 && $from.index(0) === 1;
    });
    // The first letter alone, and on only once the editor and the page both hold it before the caret:
    // in one CI run in three or so (never here, not even under load) the rest of the paragraph went in
    // before that letter ("very conscious … revolution.E"), the page's caret left before it.
    await page.keyboard.type("E");
    await page.waitForFunction(() => {
      const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
        .variorum;
      const { $from } = view.state.selection;
      const dom = window.getSelection();
      return (
        $from.parent.textContent === "E" &&
        $from.parentOffset === 1 &&
        dom?.isCollapsed === true &&
        dom.focusNode !== null &&
        view.posAtDOM(dom.focusNode, dom.focusOffset) === $from.pos
      );
    });
    await page.keyboard.type(
      "very conscious worker, who cannot remain indifferent to the suffering and torment of his class nor to the titanic struggle that it is undertaking, has certainly reflected more than once on the destiny of our revolution.",
    );
    // The page of the source, and a gap where the scan is torn: markup, never words of the witness.
    page.on("dialog", (d) => void d.accept(d.message().startsWith("Page") ? "3" : d.defaultValue()));
    // At the paragraph's start and end, set in the editor: Home and End go to the ends of the visual
    // line, which moves with the wrapping (a CI run put the page break inside the paragraph's words).
    const caretAt = (where: "start" | "end") =>
      page.evaluate((end) => {
        const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
          .variorum;
        const $from = view.state.selection.$from;
        const pos = end ? $from.end() : $from.start();
        const Selection = view.state.selection.constructor as unknown as {
          near(p: import("prosemirror-model").ResolvedPos): import("prosemirror-state").Selection;
        };
        view.dispatch(view.state.tr.setSelection(Selection.near(view.state.doc.resolve(pos))));
        view.focus();
      }, where === "end");
    await caretAt("start");
    await page.getByRole("button", { name: /^Page — Page break/ }).click();
    await caretAt("end");
    await page.getByRole("button", { name: /^Gap — Gap/ }).click();
    const marked = await page.evaluate(() => {
      const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
        .variorum;
      const found: string[] = [];
      view.state.doc.descendants((n) => {
        if (n.type.name === "page_break") found.push(`pb ${n.attrs.n}`);
        if (n.type.name === "gap") found.push(`gap ${n.attrs.reason}`);
        return true;
      });
      return found;
    });
    expect(marked).toEqual(["pb 3", "gap illegible"]);
    await page.getByRole("button", { name: "Collate with the base text" }).click();
    await page.getByRole("link", { name: "Review side by side" }).nth(1).waitFor({ timeout: 15_000 });
    const report = page.locator(".transcription-intro .collation-report");
    expect(await report.textContent()).toMatch(
      /proposed entries .*nothing is accepted until a person reviews it/,
    );
    expect(await report.locator("details li").allTextContents()).toEqual([
      expect.stringContaining("[Our correspondent sends the following]"),
    ]);
    // WD stops inside the first paragraph: its missing words are never given as WD's.
    const wd = await fetch(`${env.server.url}/api/editions/manifesto/witnesses/WD`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const wdText = await wd.text();
    expect(wdText).not.toContain("at all stages of its development");
    expect(wdText).not.toMatch(/\[…\]|\[3\]/);
    await context.close();
  });
});

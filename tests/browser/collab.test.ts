import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openEditor, until } from "../helpers/editorPage.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";

/** The editor's text without the remote cursors' name labels, which y-prosemirror puts inside it. */
async function paragraphText(page: Page, index: number): Promise<string> {
  return page.evaluate((i) => {
    const p = document.querySelectorAll(".ProseMirror > p")[i] as HTMLElement;
    const copy = p.cloneNode(true) as HTMLElement;
    for (const c of copy.querySelectorAll(".ProseMirror-yjs-cursor")) c.remove();
    return copy.textContent ?? "";
  }, index);
}

/** Puts the caret at a character offset inside the first paragraph's text. */
async function caretAt(page: Page, offset: number): Promise<void> {
  await page.evaluate((o) => {
    const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
      .variorum;
    let start = -1;
    view.state.doc.forEach((node, pos) => {
      if (start < 0 && node.type.name === "paragraph") start = pos + 1;
    });
    const tr = view.state.tr.setSelection(
      (view.state.selection.constructor as typeof import("prosemirror-state").TextSelection).create(
        view.state.doc,
        start + o,
      ),
    );
    view.dispatch(tr);
    view.focus();
  }, offset);
}

describe("two people in two browsers", () => {
  const env = withServerAndBrowser();

  it("type into the same paragraph at once, each sees the other's typing, and both end with the same text", async () => {
    const ann = await openEditor(env.browser, env.server.url, "Ann", env.server.userToken("Ann", "editor"));
    const ben = await openEditor(env.browser, env.server.url, "Ben", env.server.userToken("Ben", "editor"));
    await caretAt(ann, 0);
    await caretAt(ben, "Every conscious worker".length);
    await Promise.all([ann.keyboard.type("ANN ", { delay: 15 }), ben.keyboard.type(" BEN", { delay: 15 })]);
    const expected = "ANN Every conscious worker BEN,";
    await until(async () => (await paragraphText(ann, 0)).startsWith(expected), "Ann to see Ben's typing");
    await until(async () => (await paragraphText(ben, 0)).startsWith(expected), "Ben to see Ann's typing");
    const [a, b] = [await paragraphText(ann, 0), await paragraphText(ben, 0)];
    expect(a).toBe(b);
    expect(a.startsWith(expected)).toBe(true);
  });

  it("shows the other person's cursor with their name", async () => {
    const ann = await openEditor(env.browser, env.server.url, "Ann", env.server.userToken("Ann", "editor"));
    const ben = await openEditor(env.browser, env.server.url, "Ben", env.server.userToken("Ben", "editor"));
    await caretAt(ben, 5);
    await ben.keyboard.type("x");
    const label = ann.locator(".ProseMirror-yjs-cursor", { hasText: "Ben" });
    await label.first().waitFor({ state: "attached", timeout: 10_000 });
    expect(await label.count()).toBeGreaterThan(0);
    await ann.close();
    await ben.close();
  });

  it("shows the provenance of the base text in the About panel", async () => {
    const page = await openEditor(env.browser, env.server.url, "Cy", env.server.userToken("Cy", "editor"));
    await page.click("#about-toggle");
    const about = await page.textContent("#about");
    expect(about).toContain("International Review");
    expect(about).toContain("https://en.internationalism.org/");
    await page.close();
  });
});

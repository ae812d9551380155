import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { editorText, openEditor, selectText, until } from "../helpers/editorPage.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";

/** The labels of the visible buttons on the page. */
async function visibleButtons(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("button")]
      .filter((b) => b.offsetParent !== null)
      .map((b) => b.getAttribute("aria-label") ?? b.textContent ?? ""),
  );
}

/**
 * The scroll listeners on the side bar, which outlives each session's panels: an old session's lists let
 * go when it ends, without waiting for a scroll.
 */
async function sideScrollListeners(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  const { result } = await cdp.send("Runtime.evaluate", { expression: 'document.getElementById("side")' });
  const { listeners } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId ?? "" });
  await cdp.detach();
  return listeners.filter((l) => l.type === "scroll").length;
}

const TEXT_CONTROLS =
  /^(Paragraph|Heading|Insert a footnote|Add a variant|Link the selection|Emphasis|Strong)/;

describe("the workbench follows the role", () => {
  const env = withServerAndBrowser();

  it("shows a reader no editing control and a text that cannot be typed into", async () => {
    const page = await openEditor(env.browser, env.server.url, "Rea", env.server.userToken("Rea", "reader"));
    expect(await page.locator("#toolbar").isVisible()).toBe(false);
    expect(await page.locator(".ProseMirror").getAttribute("contenteditable")).toBe("false");
    expect((await visibleButtons(page)).filter((b) => TEXT_CONTROLS.test(b))).toEqual([]);
    expect(await page.locator('textarea[aria-label="New comment"]').count()).toBe(0);
    await page.context().close();
  });

  it("shows a reviewer Comment but no control that changes the text", async () => {
    const page = await openEditor(
      env.browser,
      env.server.url,
      "Rev",
      env.server.userToken("Rev", "reviewer"),
    );
    const buttons = await visibleButtons(page);
    expect(buttons.some((b) => b.includes("Comment on the selected words"))).toBe(true);
    expect(buttons.filter((b) => TEXT_CONTROLS.test(b))).toEqual([]);
    await page.context().close();
  });

  it("rolls a refused change back, says why, and syncs the next allowed edit without a reload", async () => {
    const editor = await openEditor(
      env.browser,
      env.server.url,
      "Eda",
      env.server.userToken("Eda", "editor"),
    );
    const page = await openEditor(
      env.browser,
      env.server.url,
      "Rob",
      env.server.userToken("Rob", "reviewer"),
    );
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    // A change to the text that a reviewer's page should never make: the server must refuse it.
    await page.evaluate(() => {
      const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
        .variorum;
      view.dispatch(view.state.tr.insertText("FORGED ", 1));
    });
    const notice = page.locator("#notice");
    await notice.waitFor({ state: "visible", timeout: 10_000 });
    expect(await notice.textContent()).toMatch(/refused a change .*undone here/);
    await page.waitForSelector('#status[data-state="synced"]');
    expect(await editorText(page)).not.toContain("FORGED");
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );

    // The next edit the role allows (a comment) reaches the others.
    await selectText(page, "titanic struggle");
    await page.getByRole("button", { name: "Comment on the selected words" }).click();
    await page.locator('textarea[aria-label="New comment"]').fill("Is this the French wording?");
    await page.getByRole("button", { name: "Add comment" }).click();
    await until(
      async () =>
        editor.evaluate(() =>
          JSON.stringify(
            (window as unknown as { variorum: { ydoc: import("yjs").Doc } }).variorum.ydoc
              .getMap("comments")
              .toJSON(),
          ).includes("Is this the French wording?"),
        ),
      "the editor to receive the reviewer's comment",
    );
    expect(await editorText(editor)).not.toContain("FORGED");
    await page.context().close();
    await editor.context().close();
  });

  it("lists who is here under their account names, with where they are, and takes you there", async () => {
    const ann = await openEditor(env.browser, env.server.url, "Ann", env.server.userToken("Ann", "editor"));
    const ben = await openEditor(env.browser, env.server.url, "Ben", env.server.userToken("Ben", "reviewer"));
    await selectText(ben, "titanic struggle");
    await ann.locator(".here-toggle").click();
    const benRow = ann.locator(".here-person", { hasText: "Ben" });
    await benRow.waitFor({ timeout: 10_000 });
    expect(await benRow.textContent()).toContain("reviewer");
    expect(await ann.locator(".here-person", { hasText: "Ann (you)" }).count()).toBe(1);
    // Ben's caret is published at most every 250 ms, so the row may first show where he opened the
    // page: wait for the block he selected, named by its first words as his own page sees them.
    const benLabel = await ben.evaluate(() => {
      const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
        .variorum;
      return view.state.selection.$head.parent.textContent.trim().slice(0, 40);
    });
    const where = benRow.locator("button", { hasText: benLabel });
    await where.waitFor({ timeout: 10_000 });
    await where.click();
    const annBlock = await ann.evaluate(() => {
      const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
        .variorum;
      return view.state.selection.$head.parent.textContent;
    });
    expect(annBlock).toContain("titanic struggle");
    await ann.context().close();
    await ben.context().close();
  });

  it("rebuilds the page for a raised role without a reload: a reviewer made editor gets the text controls", async () => {
    const page = await openEditor(
      env.browser,
      env.server.url,
      "Pia",
      env.server.userToken("Pia", "reviewer"),
    );
    expect(await page.locator(".ProseMirror").getAttribute("contenteditable")).toBe("false");
    // The panels whose lists scroll with the side bar (apparatus, comments, notes) each follow it once
    // they have drawn.
    for (const tab of ["Comments", "Notes", "Apparatus"]) await page.getByRole("tab", { name: tab }).click();
    const listening = 3;
    await expect.poll(() => sideScrollListeners(page), { timeout: 10_000 }).toBe(listening);
    const res = await fetch(`${env.server.url}/api/editions/manifesto/members/Pia`, {
      method: "PUT",
      headers: { authorization: `Bearer ${env.server.token("owner")}`, "content-type": "application/json" },
      body: JSON.stringify({ role: "editor" }),
    });
    expect(res.status).toBe(200);
    // The page looks again when it comes back into view (and every 15 seconds).
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await page
      .locator("#notice", { hasText: "Your role in this edition is now editor" })
      .waitFor({ timeout: 10_000 });
    await page.waitForSelector('#status[data-state="synced"]');
    expect(await page.locator(".ProseMirror").getAttribute("contenteditable")).toBe("true");
    expect(await page.locator("#role").textContent()).toBe("editor");
    expect((await visibleButtons(page)).some((b) => b.includes("Insert a footnote"))).toBe(true);
    // The old session's panels no longer listen: the new one's replace them.
    for (const tab of ["Comments", "Notes", "Apparatus"]) await page.getByRole("tab", { name: tab }).click();
    await expect.poll(() => sideScrollListeners(page), { timeout: 10_000 }).toBe(listening);
    await page.context().close();
  });
});

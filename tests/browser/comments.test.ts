import { describe, expect, it } from "vitest";
import { caretAfter, openEditor, selectText, until } from "../helpers/editorPage.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";

describe("comments in the text", () => {
  const env = withServerAndBrowser();

  it("marks a comment's words for another person, opens the thread from them, and keeps a draft reply through Resolve", async () => {
    const rev = await openEditor(
      env.browser,
      env.server.url,
      "Rhea",
      env.server.userToken("Rhea", "reviewer"),
    );
    const ed = await openEditor(env.browser, env.server.url, "Emil", env.server.userToken("Emil", "editor"));

    await selectText(rev, "titanic struggle");
    await rev.getByRole("button", { name: "Comment on the selected words" }).click();
    await rev.locator('textarea[aria-label="New comment"]').fill("Check the French here.");
    await rev.getByRole("button", { name: "Add comment" }).click();

    // The editor sees the words marked, and a click on them opens the thread.
    const marked = ed.locator(".ProseMirror .commented");
    await marked.first().waitFor({ timeout: 10_000 });
    expect((await marked.allTextContents()).join("")).toBe("titanic struggle");
    expect(await marked.first().getAttribute("title")).toMatch(/Commented/);
    await marked.first().click();
    const reply = ed.locator('textarea[aria-label^="Reply to thread"]');
    await until(
      async () => ed.evaluate(() => document.activeElement?.tagName === "TEXTAREA"),
      "the reply box to get the focus",
    );

    // A reply typed, then Resolve pressed: the draft is still there, and can be sent afterwards.
    await reply.fill("I will check the");
    await ed.getByRole("button", { name: "Resolve" }).click();
    await ed.locator("select[aria-label='Show comments']").selectOption("resolved");
    expect(await ed.locator('textarea[aria-label^="Reply to thread"]').inputValue()).toBe("I will check the");
    // A resolved thread's words are no longer marked.
    await until(async () => (await ed.locator(".ProseMirror .commented").count()) === 0, "the mark to go");
    await ed.locator('textarea[aria-label^="Reply to thread"]').fill("I will check the Invariance text.");
    await ed.getByRole("button", { name: "Reply", exact: true }).click();
    await rev.locator("select[aria-label='Show comments']").selectOption("all");
    await rev
      .locator(".messages", { hasText: "I will check the Invariance text." })
      .waitFor({ timeout: 10_000 });

    // "Mine" lists the threads one has written in.
    await rev.locator("select[aria-label='Show comments']").selectOption("mine");
    expect(await rev.locator("article.thread").count()).toBe(1);
    await rev.context().close();
    await ed.context().close();
  });

  it("marks the words with the text as it arrives, and keeps them through a colleague's edit elsewhere", async () => {
    const rev = await openEditor(
      env.browser,
      env.server.url,
      "Rhea",
      env.server.userToken("Rhea", "reviewer"),
    );
    await selectText(rev, "titanic struggle");
    await rev.getByRole("button", { name: "Comment on the selected words" }).click();
    await rev.locator('textarea[aria-label="New comment"]').fill("Check the French here.");
    await rev.getByRole("button", { name: "Add comment" }).click();
    await rev.locator("article.thread").first().waitFor();

    // A page that notes, at each change of its text, whether the commented words were marked in it.
    const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(
      `${env.server.url}/login?token=${encodeURIComponent(env.server.userToken("Emil", "editor"))}`,
    );
    await page.addInitScript(() => {
      const seen: { words: boolean; marked: boolean; typed: boolean }[] = [];
      Object.assign(window, { seen });
      new MutationObserver(() => {
        const text = document.querySelector(".ProseMirror");
        if (!text) return;
        const content = text.textContent ?? "";
        seen.push({
          words: content.includes("titanic struggle"),
          marked: text.querySelector(".commented") !== null,
          typed: content.includes("civil peace, comrades,"),
        });
      }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
    });
    await page.goto(`${env.server.url}/editions/manifesto`);
    await page.waitForSelector('#status[data-state="synced"]');
    const seen = () =>
      page.evaluate(
        () => (window as unknown as { seen: { words: boolean; marked: boolean; typed: boolean }[] }).seen,
      );
    // The text and its marks are drawn together: no change of the page shows the words unmarked.
    const first = (await seen()).find((s) => s.words);
    expect(first, "the words shown").toBeDefined();
    expect(first?.marked, "marked as soon as they are shown").toBe(true);

    // A colleague types in another paragraph: the mark stays through that change, not only after it.
    const colleague = await openEditor(
      env.browser,
      env.server.url,
      "Otto",
      env.server.userToken("Otto", "editor"),
    );
    await caretAfter(colleague, "we advocate civil peace");
    await colleague.keyboard.type(", comrades,");
    await until(async () => (await seen()).some((s) => s.typed), "the colleague's words to arrive");
    const afterEdit = (await seen()).filter((s) => s.typed);
    expect(
      afterEdit.every((s) => s.marked),
      "marked in every change after the edit",
    ).toBe(true);

    // The colleague sets the commented words in bold, with words on either side: the change spans the
    // marked words, which are marked again once it is in.
    await selectText(colleague, "the titanic struggle that");
    await colleague.keyboard.press("Control+b");
    const markedInBold = () =>
      page.evaluate(() =>
        [...document.querySelectorAll(".ProseMirror strong")].some((el) =>
          [...el.querySelectorAll(".commented"), el.closest(".commented")].some(
            (m) => m && (m.textContent ?? "").includes("titanic"),
          ),
        ),
      );
    await until(markedInBold, "the words marked again in bold");
    // A change over the marked words' end only (italics on "struggle that it"): the mark is not left
    // cut short at the change's start.
    await selectText(colleague, "struggle that it");
    await colleague.keyboard.press("Control+i");
    const markedWords = () =>
      page.evaluate(() =>
        [...document.querySelectorAll(".ProseMirror .commented")].map((m) => m.textContent).join(""),
      );
    await until(
      async () =>
        (await page.evaluate(() => document.querySelector(".ProseMirror em")?.textContent ?? "")).includes(
          "struggle",
        ) && (await markedWords()) === "titanic struggle",
      "the whole words marked after the italics",
    );

    // Someone's client writes what is no thread into the comments: the text still opens, with the
    // threads there are, and the broken ones are left out.
    await rev.evaluate(() => {
      const { ydoc } = (window as unknown as { variorum: { ydoc: import("yjs").Doc } }).variorum;
      const comments = ydoc.getMap("comments");
      const ThreadMap = comments.constructor as typeof import("yjs").Map;
      ydoc.transact(() => {
        comments.set("junk", 5);
        const bad = new ThreadMap<unknown>();
        bad.set("target", { kind: "text", start: "%%%not base64", end: "", quote: "nothing" });
        comments.set("broken", bad);
        // Base64 that decodes, into bytes that name no position.
        const nowhere = new ThreadMap<unknown>();
        nowhere.set("target", { kind: "text", start: "Aw==", end: "Aw==", quote: "nowhere" });
        comments.set("nowhere", nowhere);
        comments.set("no-target", new ThreadMap<unknown>());
      });
    });
    const later = await openEditor(env.browser, env.server.url, "Ida", env.server.userToken("Ida", "editor"));
    expect((await later.locator(".ProseMirror").textContent())?.length ?? 0).toBeGreaterThan(10_000);
    await until(
      async () => (await later.locator(".ProseMirror .commented").count()) > 0,
      "the good thread's mark",
    );
    await later.getByRole("tab", { name: "Comments" }).click();
    await later.locator("select[aria-label='Show comments']").selectOption("all");
    await until(async () => (await later.locator("article.thread").count()) > 0, "the threads listed");
    // The two threads of these tests, and the two whose words cannot be found, shown as detached.
    expect(await later.locator("article.thread").count()).toBe(4);
    expect((await later.locator("article.thread .target.detached").allTextContents()).sort()).toEqual([
      expect.stringContaining("“nothing”"),
      expect.stringContaining("“nowhere”"),
    ]);
    await later.context().close();
    await rev.context().close();
    await colleague.context().close();
    await context.close();
  });
});

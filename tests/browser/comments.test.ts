import { describe, expect, it } from "vitest";
import { openEditor, selectText, until } from "../helpers/editorPage.ts";
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
});

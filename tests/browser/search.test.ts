import { describe, expect, it } from "vitest";
import { openEditor } from "../helpers/editorPage.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";

describe("search in the workbench", () => {
  const env = withServerAndBrowser();

  it("opens on Ctrl-K, groups results by kind with the words marked, and goes to the words on Enter", async () => {
    const page = await openEditor(
      env.browser,
      env.server.url,
      "Sue",
      env.server.userToken("Sue", "reviewer"),
    );
    await page.keyboard.press("Control+k");
    const input = page.getByRole("searchbox", { name: "Search the edition" });
    await input.fill("titanic strug");
    const text = page.locator('.search-results [role=group][aria-label="Text"]');
    await text.waitFor({ timeout: 10_000 });
    expect(await text.locator("mark").first().textContent()).toMatch(/^titanic$|^struggle$/);
    await input.press("Enter");
    const selected = await page.evaluate(() => {
      const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
        .variorum;
      const { from, to } = view.state.selection;
      return view.state.doc.textBetween(from, to);
    });
    expect(selected).toBe("titanic");

    // A glossary hit opens its entry in the glossary panel; / opens the search outside the text.
    await page.locator("h1").click();
    await page.keyboard.press("/");
    await input.fill("poincare");
    const gloss = page.locator('.search-results [role=group][aria-label="Glossary"] [role=option]').first();
    await gloss.waitFor({ timeout: 10_000 });
    await gloss.click();
    await page.locator("#panel-glossary").waitFor({ state: "visible" });
    expect(await page.locator("#panel-glossary").textContent()).toContain("Poincaré");
    await page.context().close();
  });
});

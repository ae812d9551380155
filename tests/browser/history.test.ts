import { describe, expect, it } from "vitest";
import { caretAfter, openEditor, until } from "../helpers/editorPage.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";

describe("the history panel", () => {
  const env = withServerAndBrowser();

  it("shows a typed sentence as one session of its author with its words, and compares a version over the page's width", async () => {
    // The history is read when its tab is shown, not with every opening of the workbench.
    const asked: string[] = [];
    const page = await openEditor(
      env.browser,
      env.server.url,
      "Nell",
      env.server.userToken("Nell", "editor"),
      "manifesto",
      (p) =>
        p.on("request", (r) => {
          if (/\/api\/editions\/[^/]+\/history/.test(r.url())) asked.push(r.url());
        }),
    );
    await caretAfter(page, "the titanic struggle");
    await page.keyboard.type(" of the hour", { delay: 20 });
    expect(asked).toEqual([]);
    await page.getByRole("tab", { name: "History" }).click();
    const panel = page.locator("#panel-history");
    // Shown, it reads the history without a press of Refresh.
    await panel.locator("li.session").first().waitFor();
    expect(asked.length).toBeGreaterThan(0);
    const first = panel.locator("li.session").first();
    await until(async () => {
      await panel.getByRole("button", { name: "Refresh" }).click();
      return ((await first.textContent()) ?? "").includes("of the hour");
    }, "the typing to show in the history");
    expect(await first.locator("strong").first().textContent()).toBe("Nell");
    expect(await first.textContent()).toMatch(/12 changes/);
    expect(await first.locator("ins").allTextContents()).toEqual([" of the hour"]);
    // The paragraph is named as a reader finds it, and a click selects the words there.
    await first.getByRole("button", { name: /By way of a preface, ¶ 1/ }).click();
    const selected = await page.evaluate(() => {
      const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
        .variorum;
      return view.state.doc.textBetween(view.state.selection.from, view.state.selection.to);
    });
    expect(selected).toBe("of the hour");
    // Filtering by a kind it has none of hides it.
    await panel.getByRole("combobox", { name: "Show changes to" }).selectOption("glossary");
    expect(await panel.locator("li.session").count()).toBe(0);

    await panel.getByRole("textbox", { name: "Name of the new version" }).fill("before the hour");
    await panel.getByRole("button", { name: "Name this version" }).click();
    await panel.getByRole("button", { name: "compare with now" }).first().waitFor();
    await caretAfter(page, "of the hour");
    await page.keyboard.type(" again");
    await panel.getByRole("button", { name: "compare with now" }).first().click();
    const dialog = page.locator("dialog.wide");
    await dialog.waitFor({ state: "visible" });
    const box = await dialog.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(900);
    await until(
      async () => (await dialog.locator("ins").allTextContents()).join("").includes("again"),
      "the difference",
    );
    await page.context().close();
  });
});

import { describe, expect, it } from "vitest";
import { openEditor, selectText, until } from "../helpers/editorPage.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";

describe("a detached apparatus entry in the workbench", () => {
  const env = withServerAndBrowser();

  it("keeps its words, readings and status when its lemma is deleted, and can be re-attached to a new selection", async () => {
    const page = await openEditor(env.browser, env.server.url, "Ed", env.server.userToken("Ed", "editor"));
    const tei = async () => (await env.server.get("/api/editions/manifesto/tei")).text();
    await selectText(page, "suffering and torment");
    await page.getByRole("button", { name: "Add variant at selection" }).click();
    await page.getByRole("combobox", { name: "What WD reads" }).selectOption("text");
    await page.getByRole("textbox", { name: "Reading of WD" }).fill("pain and misery");
    await page.getByRole("combobox", { name: "Status of WD's reading" }).selectOption("accepted");
    await until(async () => (await tei()).includes("pain and misery"), "the entry reaches the server");
    const id = (await page
      .locator("#panel-apparatus .apparatus-list [aria-current=true] .entry-line")
      .getAttribute("data-app")) as string;
    expect(id).toMatch(/^app-/);

    // The editor deletes the lemma's words.
    await selectText(page, "suffering and torment");
    await page.keyboard.press("Delete");
    const item = page.locator("#panel-apparatus .detached .entry-line", { hasText: "pain and misery" });
    await expect.poll(() => item.textContent()).toBe("suffering and torment] pain and misery WD");
    await item.click();
    await expect
      .poll(() => page.locator("#panel-apparatus .lemma-text").textContent())
      .toBe("Detached: its lemma was deleted from the text. It was on: “suffering and torment”");
    // Its readings still "read" (it had a lemma), and its decisions are kept.
    expect(await page.getByRole("combobox", { name: "What WD reads" }).inputValue()).toBe("text");
    expect(
      await page.getByRole("combobox", { name: "What WD reads" }).locator("option:checked").textContent(),
    ).toBe("reads");
    expect(await page.getByRole("combobox", { name: "Status of WD's reading" }).inputValue()).toBe(
      "accepted",
    );
    // The TEI keeps it, out of the text, with its words.
    let xml = "";
    await until(async () => {
      xml = await tei();
      return xml.includes('<listApp type="detached">');
    }, "the deletion reaches the server");
    expect(xml).toContain(
      `<app xml:id="${id}" type="substantive" subtype="accepted"><lem wit="#ICC">suffering and torment</lem>`,
    );

    // Re-attached to other words: in the text again, out of the detached list.
    await selectText(page, "titanic struggle");
    await page.getByRole("button", { name: "Re-attach to the selection" }).click();
    await expect.poll(() => page.locator("#panel-apparatus .detached .entry-line").count()).toBe(0);
    await until(async () => {
      xml = await tei();
      return !xml.includes('<listApp type="detached">');
    }, "the re-attachment reaches the server");
    expect(xml).toMatch(
      new RegExp(
        `<app xml:id="${id}" type="substantive" subtype="accepted"><lem wit="#ICC">titanic struggle</lem><rdg wit="#WD" type="accepted"`,
      ),
    );
    await page.close();
  });
});

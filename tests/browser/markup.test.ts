import { describe, expect, it } from "vitest";
import { caretAfter, openEditor, selectText, until } from "../helpers/editorPage.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";
import { danglingPointers, jingErrors } from "../helpers/tei.ts";

describe("marking up the edition in the browser", () => {
  const env = withServerAndBrowser();

  const tei = async () => (await env.server.get("/api/editions/manifesto/tei")).text();

  it("adds a footnote, a variant reading and a glossary link through the UI, and the TEI export has all three", async () => {
    const page = await openEditor(env.browser, env.server.url, "Ann", env.server.userToken("Ann", "editor"));

    // A footnote at the end of the first paragraph.
    await caretAfter(page, "the movement of the world proletariat.");
    await page.getByRole("button", { name: "Insert a footnote at the cursor" }).click();
    await page.locator(".note-popup .ProseMirror").waitFor();
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest(".note-popup"))).toBe(true);
    await page.keyboard.type("An editorial note on the world proletariat.");
    await page.keyboard.press("Escape");

    // A variant reading: "titanic" reads "heroic" in WD.
    await selectText(page, "titanic");
    await page.getByRole("button", { name: /^Variant — Add a variant reading/ }).click();
    await page.getByRole("combobox", { name: "What WD reads" }).selectOption("text");
    await page.getByRole("textbox", { name: "Reading of WD" }).fill("heroic");
    await page.getByRole("combobox", { name: "Status of WD's reading" }).selectOption("accepted");
    await page.getByRole("combobox", { name: "Type of variant" }).selectOption("lexical");

    // A glossary link to a new entry.
    await selectText(page, "Social-Democratic programme");
    await page.getByRole("button", { name: "Link the selection to a glossary entry" }).click();
    await page.getByRole("searchbox", { name: "Search the glossary" }).fill("Social-Democratic programme");
    await page.getByRole("combobox", { name: "Kind of new entry" }).selectOption("publication");
    await page.getByRole("button", { name: "Create entry and link" }).click();

    let xml = "";
    await until(async () => {
      xml = await tei();
      return (
        xml.includes("heroic") &&
        xml.includes("An editorial note") &&
        xml.includes("gl-social-democratic-programme")
      );
    }, "the three markups to reach the server");
    expect(xml).toMatch(
      /<note xml:id="note-[a-z0-9]+" type="editorial" place="foot" n="1">An editorial note on the world proletariat\.<\/note>/,
    );
    expect(xml).toMatch(
      /<app xml:id="app-[a-z0-9]+" type="lexical" subtype="accepted"><lem wit="#ICC">titanic<\/lem><rdg wit="#WD" type="accepted" resp="#resp-[^"]+"><witStart\/>heroic<witEnd\/><\/rdg><\/app>/,
    );
    expect(xml).toContain(
      '<term type="publication" ref="#gl-social-democratic-programme">Social-Democratic programme</term>',
    );
    expect(xml).toMatch(
      /<item xml:id="gl-social-democratic-programme" n="publication">\s*<term type="main">Social-Democratic programme<\/term>/,
    );
    expect(jingErrors(xml)).toEqual([]);
    expect(danglingPointers(xml)).toEqual([]);
    await page.close();
  });

  it("refuses a lemma that would partly overlap another entry's lemma, and says why", async () => {
    const page = await openEditor(env.browser, env.server.url, "Ben", env.server.userToken("Ben", "editor"));
    await selectText(page, "Every conscious worker");
    await page.getByRole("button", { name: "Add variant at selection" }).click();
    await selectText(page, "conscious worker, who");
    await page.getByRole("button", { name: "Add variant at selection" }).click();
    await expect
      .poll(() => page.locator("#panel-apparatus .panel-message").textContent())
      .toMatch(/partly overlaps the lemma of app-/);
    await page.close();
  });

  it("undoes a new apparatus entry, its lemma and its record, with Ctrl-Z", async () => {
    const page = await openEditor(env.browser, env.server.url, "Cy", env.server.userToken("Cy", "editor"));
    const count = () =>
      page.evaluate(
        () =>
          (window as unknown as { variorum: { ydoc: import("yjs").Doc } }).variorum.ydoc.getMap("apparatus")
            .size,
      );
    const before = await count();
    await selectText(page, "suffering and torment");
    await page.getByRole("button", { name: "Add variant at selection" }).click();
    expect(await count()).toBe(before + 1);
    await page.locator(".ProseMirror").focus();
    await page.keyboard.press("Control+z");
    await expect.poll(count).toBe(before);
    expect(await page.locator(".ProseMirror span.lemma", { hasText: "suffering and torment" }).count()).toBe(
      0,
    );
    await page.close();
  });
});

describe("inside a footnote, and the coverage of a partial witness", () => {
  const env = withServerAndBrowser();

  it("emphasises and links words inside a footnote", async () => {
    const page = await openEditor(env.browser, env.server.url, "Fay", env.server.userToken("Fay", "editor"));
    await caretAfter(page, "the movement of the world proletariat.");
    await page.getByRole("button", { name: "Insert a footnote at the cursor" }).click();
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest(".note-popup"))).toBe(true);
    await page.keyboard.type("See Lenin.");
    await page.keyboard.press("ArrowLeft");
    for (let i = 0; i < 5; i++) await page.keyboard.press("Shift+ArrowLeft");
    // ProseMirror reads the DOM selection on "selectionchange", which fires after the key events.
    await page.waitForTimeout(100);
    await page.keyboard.press("Control+i");
    await page.getByRole("tab", { name: "Glossary" }).click();
    await page.getByRole("searchbox", { name: "Search the glossary" }).fill("Lenin");
    await page.locator(".gloss-link", { hasText: /^Lenin$/ }).click();
    await expect
      .poll(() => page.locator("#panel-glossary .panel-message").textContent())
      .toBe("linked to Lenin");
    let xml = "";
    await expect
      .poll(async () => {
        xml = await (await env.server.get("/api/editions/manifesto/tei")).text();
        return xml;
      })
      .toMatch(
        /<note xml:id="note-[a-z0-9]+" type="editorial" place="foot" n="1">See <persName ref="#gl-lenin"><emph>Lenin<\/emph><\/persName>\.<\/note>/,
      );
    expect(jingErrors(xml)).toEqual([]);
    await page.close();
  });

  it("marks the paragraphs a partial witness covers, and the reading edition shows the rest as lacunae", async () => {
    const page = await openEditor(env.browser, env.server.url, "Gus", env.server.userToken("Gus", "editor"));
    await selectText(page, "Every conscious worker");
    await page.getByRole("tab", { name: "Witnesses" }).click();
    await page.getByRole("button", { name: "Mark the selected paragraphs as covered by WD" }).click();
    await expect
      .poll(() => page.locator("#panel-witnesses .panel-message").textContent())
      .toBe("WD now covers 1 paragraph of the base text");
    let witnesses: { siglum: string; coveredBlocks: string[] }[] = [];
    await expect
      .poll(async () => {
        witnesses = (await (
          await env.server.get("/api/editions/manifesto/witnesses")
        ).json()) as typeof witnesses;
        return witnesses.find((w) => w.siglum === "WD")?.coveredBlocks;
      })
      .toEqual(["p1"]);
    await page.close();
  });
});

import { describe, expect, it } from "vitest";
import { openEditor } from "../helpers/editorPage.ts";
import { publish, withServerAndBrowser } from "../helpers/suite.ts";
import { jingErrors } from "../helpers/tei.ts";

// Test values that fit the patterns, not these entries' real ids (the shipped edition holds none).
const WIKIDATA = "Q1000001";
const GEONAMES = "1000004";

describe("authority ids on glossary entries", () => {
  const env = withServerAndBrowser();

  it("are entered in the glossary panel, refused when they break their pattern, and shown as links everywhere", async () => {
    await publish(env.server);
    const page = await openEditor(env.browser, env.server.url, "Ann", env.server.userToken("Ann", "editor"));
    await page.getByRole("tab", { name: "Glossary" }).click();
    const panel = page.locator("#panel-glossary");
    const message = panel.locator(".panel-message");
    await page.getByRole("searchbox", { name: "Search the glossary" }).fill("Poincaré");
    await page.getByRole("button", { name: "Edit Poincaré" }).click();
    // A person: no gazetteer id is offered.
    await expect.poll(() => panel.getByRole("textbox", { name: "Wikidata id" }).count()).toBe(1);
    expect(await panel.getByRole("textbox", { name: "GeoNames id" }).count()).toBe(0);

    const gnd = panel.getByRole("textbox", { name: "GND id" });
    await gnd.fill("118-540238");
    await gnd.press("Tab");
    await expect
      .poll(() => message.textContent())
      .toBe(
        'GND id "118-540238" on glossary entry gl-poincare is not one: a GND id is up to ten digits, the first not 0, then a check digit 0–9 or X, perhaps after a hyphen (118540238, 4003031-8)',
      );
    expect(await gnd.getAttribute("aria-invalid")).not.toBeNull();

    await panel.getByRole("textbox", { name: "Wikidata id" }).fill(WIKIDATA);
    await panel.getByRole("textbox", { name: "Wikidata id" }).press("Tab");
    const link = panel.locator(`a[href="https://www.wikidata.org/wiki/${WIKIDATA}"]`);
    await expect.poll(() => link.count()).toBe(1);

    // The card over a link to the entry in the text shows it too.
    await page.locator('.ProseMirror .gloss[data-entry="gl-poincare"]').first().hover();
    await expect
      .poll(() => page.locator(`.gloss-card a[href="https://www.wikidata.org/wiki/${WIKIDATA}"]`).isVisible())
      .toBe(true);

    // A place offers GeoNames.
    await page.getByRole("searchbox", { name: "Search the glossary" }).fill("Kronstadt");
    await page.getByRole("button", { name: "Edit Kronstadt" }).click();
    const geonames = panel.getByRole("textbox", { name: "GeoNames id" });
    await geonames.fill(GEONAMES);
    await geonames.press("Tab");
    await expect.poll(() => panel.locator(`a[href="https://www.geonames.org/${GEONAMES}"]`).count()).toBe(1);

    // Stored on the server: the reading edition's glossary page links them, the TEI holds them, valid.
    const reader = await env.browser.newPage();
    await expect
      .poll(async () => {
        await reader.goto(`${env.server.url}/read/manifesto/glossary.html`);
        return reader
          .locator(`#gl-poincare .ids a[href="https://www.wikidata.org/wiki/${WIKIDATA}"]`)
          .count();
      })
      .toBe(1);
    expect(
      await reader.locator(`#gl-kronstadt .ids a[href="https://www.geonames.org/${GEONAMES}"]`).textContent(),
    ).toBe(GEONAMES);
    expect(await reader.locator("#gl-poincare .ids").textContent()).toBe(`Wikidata ${WIKIDATA}`);
    const xml = await (await env.server.get("/api/editions/manifesto/tei")).text();
    expect(xml).toMatch(
      new RegExp(
        `<person xml:id="gl-poincare">[\\s\\S]*?<idno type="wikidata">${WIKIDATA}</idno>[\\s\\S]*?</person>`,
      ),
    );
    expect(xml).toMatch(
      new RegExp(
        `<place xml:id="gl-kronstadt">[\\s\\S]*?<idno type="GeoNames">${GEONAMES}</idno>[\\s\\S]*?</place>`,
      ),
    );
    expect(xml).not.toContain("118-540238");
    expect(jingErrors(xml)).toEqual([]);
    await reader.close();
    await page.close();
  });
});

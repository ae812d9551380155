import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/paths.ts";
import { publish, withServerAndBrowser } from "../helpers/suite.ts";

/**
 * A real letter with `choice` (DTA Soldatenbriefe no. 168: orig/reg and abbr/expan; see
 * tests/fixtures/tei/README.md), imported over HTTP as a new edition, published, and read in Chromium.
 */
const LETTER = readFileSync(join(ROOT, "tests/fixtures/tei/dta-soldatenbriefe-letter-168.xml"));

describe("the reading edition's choice switch", () => {
  const env = withServerAndBrowser();

  it("shows the source's own form, and the editors' regularisation or expansion when the reader asks", async () => {
    const s = env.server;
    const query = new URLSearchParams({ id: "letter168", filename: "letter-168.xml", siglum: "SB" });
    const created = await fetch(`${s.url}/api/editions?${query}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${s.userToken("Ada", "editor")}`,
        "content-type": "application/octet-stream",
      },
      body: LETTER,
    });
    expect(created.status).toBe(201);
    await publish(s, "letter168");

    const page = await env.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${s.url}/read/letter168/`);
    const paragraph = page.locator("p", { hasText: "In aller Eile" });
    const heading = page.locator("h2, h3, h4", { hasText: "SB-Nr. 168" }).first();
    // The letter's own forms: “ for "ten" (orig/reg), ND for Norddeutsch (abbr/expan).
    expect(await paragraph.innerText()).toContain("am 5“ Abends");
    expect(await heading.innerText()).toContain("ND");
    expect(await heading.innerText()).not.toContain("Norddeutsch");

    const toggle = page.getByLabel("Show the editors' corrections, regularisations and expansions");
    await toggle.check();
    await expect.poll(() => paragraph.innerText()).toContain("am 5ten Abends");
    expect(await paragraph.innerText()).not.toContain("5“");
    expect(await heading.innerText()).toContain("Norddeutsch");

    await toggle.uncheck();
    await expect.poll(() => paragraph.innerText()).toContain("am 5“ Abends");
    expect(errors).toEqual([]);
    await page.close();
  });
});

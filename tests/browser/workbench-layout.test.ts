import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { caretAfter, until } from "../helpers/editorPage.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

describe("the workbench's keyboard and layout", () => {
  const env = withServerAndBrowser();

  /** The workbench as a signed-in person; CSP bypassed so that axe-core can be injected. */
  const open = async (
    name: string,
    role: "editor" | "reviewer",
    width = 1400,
    path = "/editions/manifesto",
  ) => {
    const context = await env.browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error(`page error (${name}): ${e.message}`));
    await page.goto(`${env.server.url}/login?token=${env.server.userToken(name, role)}`);
    await page.goto(`${env.server.url}${path}`);
    await page.waitForSelector('#status[data-state="synced"]');
    return page;
  };
  const axeSerious = async (page: Page) => {
    await page.addScriptTag({ content: axeSource });
    const result = (await page.evaluate(() =>
      (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({
        resultTypes: ["violations"],
      }),
    )) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  };

  it("inserts a footnote with its shortcut, lists it among the notes, and shows the shortcuts on ?", async () => {
    const page = await open("Kim", "editor");
    const notesBefore = await page.locator(".ProseMirror .footnote, .ProseMirror [data-n]").count();
    await caretAfter(page, "titanic struggle");
    await page.keyboard.press("Control+Alt+f");
    await until(
      async () => (await page.locator(".ProseMirror [data-n]").count()) > notesBefore,
      "a new footnote in the text",
    );
    await page.keyboard.press("Escape");
    await page.getByRole("tab", { name: "Notes" }).click();
    const items = page.locator("#panel-notes .notes-list li");
    // The list follows the text once typing pauses (it is not redrawn on every keystroke).
    await until(async () => (await items.count()) === notesBefore + 1, "the new note in the list");

    await page.locator("h1").click(); // out of the text, where ? is a character
    await page.keyboard.press("?");
    const help = page.locator("dialog.help");
    await help.waitFor({ state: "visible" });
    const text = await help.textContent();
    for (const shortcut of ["Ctrl+Alt+F", "Ctrl+Alt+V", "Ctrl+Alt+G", "Ctrl+Alt+M"])
      expect(text).toContain(shortcut);
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "hidden" });
    await page.context().close();
  });

  it("keeps every panel tab inside the panel at 1400 px and opens the panels as a drawer at 390 px", async () => {
    const wide = await open("Lea", "editor", 1400);
    const clipped = await wide.evaluate(() => {
      const side = (document.querySelector("#side") as HTMLElement).getBoundingClientRect();
      return [...document.querySelectorAll<HTMLElement>("#side [role=tab]")]
        .filter((t) => t.getBoundingClientRect().right > side.right + 0.5)
        .map((t) => t.textContent);
    });
    expect(clipped).toEqual([]);
    await wide.context().close();

    const narrow = await open("Lea", "editor", 390);
    expect(await narrow.locator("#side").isVisible()).toBe(false);
    await narrow.getByRole("button", { name: "Panels" }).click();
    await narrow.locator("#side").waitFor({ state: "visible" });
    // The drawer slides in: wait until it has arrived inside the screen.
    await until(async () => {
      const box = await narrow.locator("#side").boundingBox();
      return !!box && box.x >= 0 && box.x + box.width <= 391;
    }, "the drawer inside the screen");
    const overflow = await narrow.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await narrow.context().close();
  });

  it("passes axe-core with no serious or critical violation on the workbench, its history and the review page, for an editor and a reviewer", async () => {
    for (const [name, role] of [
      ["Max", "editor"],
      ["Ria", "reviewer"],
    ] as const) {
      const page = await open(name, role);
      expect(await axeSerious(page), `${role}'s workbench`).toEqual([]);
      // The history panel, with its sessions listed.
      await page.getByRole("tab", { name: "History" }).click();
      await page.locator("#panel-history li.session, #panel-history li.hint").first().waitFor();
      expect(await axeSerious(page), `${role}'s history panel`).toEqual([]);
      // The side-by-side review of a witness.
      await page.goto(`${env.server.url}/editions/manifesto/review/RU`);
      await page.locator("main, body").first().waitFor();
      await page.waitForLoadState("networkidle");
      expect(await axeSerious(page), `${role}'s review page`).toEqual([]);
      await page.context().close();
    }
  });
});

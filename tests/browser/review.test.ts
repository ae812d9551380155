import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readEntry, setReading } from "../../schema/apparatus.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { openEditor, until } from "../helpers/editorPage.ts";
import { nodeClient, synced } from "../helpers/server.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";
import { syntheticWitnessFile } from "../helpers/synthetic.ts";

describe("bringing in a witness and reviewing its variants", () => {
  const env = withServerAndBrowser();
  const dir = mkdtempSync(join(tmpdir(), "variorum-witness-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("imports a witness in the UI, collates it, accepts one variant and rejects another; the TEI shows only the accepted", async () => {
    // Test data, not a witness of the edition: two paragraphs of the ICC text with two scripted changes.
    const icc = witnessText(manifestoDoc(), "ICC");
    if (!icc.ok) throw new Error(icc.reason);
    const file = syntheticWitnessFile(icc.text, dir, "tests/browser/review.test.ts");

    const page = await openEditor(env.browser, env.server.url, "Ed", env.server.userToken("Ed", "editor"));
    await page.getByRole("tab", { name: "Witnesses" }).click();
    await page.getByRole("textbox", { name: "Siglum of the witness to import" }).fill("SYN");
    await page.getByLabel("Witness file").setInputFiles(file);
    await page.getByRole("button", { name: "Import" }).click();
    await expect
      .poll(() => page.locator("#panel-witnesses .panel-message").textContent())
      .toMatch(/imported SYN: 2 blocks/);
    await page.getByRole("button", { name: "Collate SYN with the base text" }).click();
    await expect
      .poll(() => page.locator("#panel-witnesses .panel-message").textContent())
      .toMatch(/SYN: 2 proposed entries/);
    await page.getByRole("link", { name: "Review side by side" }).first().click();
    await page.waitForURL(/\/review\/SYN$/);
    await page.locator(".v.current").first().waitFor();
    await expect.poll(() => page.locator("#progress").textContent()).toBe("reviewed 0 of 2");

    // The density strip: a mark per variant along the text; a click goes to that variant.
    const ticks = page.locator("#density svg rect.tick");
    await expect.poll(() => ticks.count()).toBe(2);
    await ticks.nth(1).dispatchEvent("click");
    await expect
      .poll(() => page.locator("#current").textContent())
      .toMatch(/2 \/ 2: civilised\] civilized SYN/);
    await ticks.nth(0).dispatchEvent("click");
    await expect.poll(() => page.locator("#current").textContent()).toMatch(/1 \/ 2: titanic\] heroic SYN/);

    // The coverage map: a row per witness with text, SYN covering the two paragraphs it has; a click on
    // one of them scrolls to that paragraph.
    const covered = page.locator('#coverage rect.cover.covered[data-witness="SYN"]');
    await expect.poll(() => covered.count()).toBe(2);
    const block = await covered.nth(1).getAttribute("data-block");
    await covered.nth(1).dispatchEvent("click");
    await expect
      .poll(() =>
        page.evaluate((id) => {
          const r = document.querySelector(`#columns [data-block="${id}"]`)?.getBoundingClientRect();
          return r ? r.top >= -2 && r.top < window.innerHeight : false;
        }, block),
      )
      .toBe(true);

    // The alignment table: every witness with text in one table; a click on a column goes to its entry.
    await page.getByRole("button", { name: "alignment table" }).click();
    const table = page.locator("#alignment table.alignment");
    await table.waitFor();
    const rowHeads = await table.locator("tbody th").allTextContents();
    expect(rowHeads[0]).toBe("ICC");
    expect(rowHeads).toContain("SYN");
    await table
      .locator("td", { hasText: /^civilized$/ })
      .first()
      .click();
    await expect
      .poll(() => page.locator("#current").textContent())
      .toMatch(/2 \/ 2: civilised\] civilized SYN/);
    await table
      .locator("td", { hasText: /^heroic$/ })
      .first()
      .click();
    await expect.poll(() => page.locator("#current").textContent()).toMatch(/1 \/ 2: titanic\] heroic SYN/);

    // The first variant (titanic → heroic): accept; the next (civilised → civilized): reject.
    expect(await page.locator("#current").textContent()).toMatch(/titanic\] heroic SYN/);
    await page.keyboard.press("a");
    await page.keyboard.press("j");
    expect(await page.locator("#current").textContent()).toMatch(/civilised\] civilized SYN/);
    await page.keyboard.press("r");
    await expect.poll(() => page.locator("#progress").textContent()).toBe("reviewed 2 of 2");

    let xml = "";
    await until(async () => {
      xml = await (await env.server.get("/api/editions/manifesto/tei")).text();
      return xml.includes("heroic");
    }, "the decisions to reach the server");
    expect(xml).toMatch(
      /<app xml:id="app-syn-[a-z0-9]+" type="substantive" subtype="accepted"><lem wit="#ICC">titanic<\/lem><rdg wit="#SYN" type="accepted" resp="#resp-Ed"><witStart\/>heroic<witEnd\/><\/rdg><\/app>/,
    );
    expect(xml).not.toContain("civilized");
    expect(xml).toContain("civilised world");
    await page.close();
  });

  it("decides only the witness it shows; t chooses a type once; accept all asks with the count and is one undo", async () => {
    const editor = nodeClient(env.server.wsUrl, "manifesto", { token: env.server.token("editor") });
    await synced(editor.provider);
    const ids = ["app-q-1", "app-ru-1", "app-ru-2"];
    editor.doc.transact(() => {
      for (const id of ids) setReading(editor.doc, id, "WD", { kind: "om", text: "" });
      setReading(editor.doc, "app-ru-1", "Q", { kind: "text", text: "We have said" });
    });
    const live = () => env.server.opened("manifesto").ydoc;
    await until(
      async () => ids.every((id) => "WD" in (readEntry(live(), id)?.readings ?? {})),
      "the readings arrive",
    );
    const page = await openEditor(
      env.browser,
      env.server.url,
      "Vera",
      env.server.userToken("Vera", "reviewer"),
    );
    await page.goto(`${env.server.url}/editions/manifesto/review/WD`);
    await page.locator(".v.current").first().waitFor();
    await expect.poll(() => page.locator("#progress").textContent()).toBe("reviewed 0 of 3");
    const currentId = async () =>
      (await page.locator(".cell.base .v.current").first().getAttribute("data-app")) as string;
    // Move to app-ru-1, whose Q reading is also proposed: accepting "om. WD" decides WD's reading only.
    while ((await currentId()) !== "app-ru-1") await page.keyboard.press("j");
    await page.keyboard.press("a");
    await until(
      async () => readEntry(live(), "app-ru-1")?.decisions.WD?.status === "accepted",
      "the decision arrives",
    );
    expect(readEntry(live(), "app-ru-1")?.decisions.Q).toEqual({ status: "proposed", by: null, at: null });
    expect(readEntry(live(), "app-ru-1")?.decisions.RU).toEqual({ status: "accepted", by: null, at: 0 });
    expect(readEntry(live(), "app-ru-1")?.status).toBe("proposed");

    // t opens the type choice and records nothing; 7 records "punctuation", once; t, Escape changes nothing.
    const changesBefore = env.server.db.changes("manifesto").length;
    await page.keyboard.press("t");
    await expect.poll(() => page.locator("#type-choice").isVisible()).toBe(true);
    expect(env.server.db.changes("manifesto").length).toBe(changesBefore);
    await page.keyboard.press("7");
    await expect.poll(() => page.locator("#type-choice").isVisible()).toBe(false);
    await until(async () => readEntry(live(), "app-ru-1")?.type === "punctuation", "the type arrives");
    await page.keyboard.press("t");
    await page.keyboard.press("Escape");
    await page.keyboard.press("t");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("#current [data-role=type]").textContent()).toBe("punctuation");
    expect(readEntry(live(), "app-ru-1")?.type).toBe("punctuation");
    expect(env.server.db.changes("manifesto").length).toBe(changesBefore + 1);

    // Accept all of a type: it asks, saying how many, and one undo takes all of them back.
    await page.getByRole("combobox", { name: "Type to accept or reject all of" }).selectOption("lexical");
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("Shift+A");
    const dialog = page.locator("dialog#confirm");
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain(
      "Accept all 2 proposed lexical / translation choice readings of WD?",
    );
    await dialog.getByRole("button", { name: "Accept 2" }).click();
    await expect.poll(() => page.locator("#progress").textContent()).toBe("reviewed 3 of 3");
    await until(
      async () => ids.every((id) => readEntry(live(), id)?.decisions.WD?.status === "accepted"),
      "all arrive",
    );
    await page.keyboard.press("u");
    await expect.poll(() => page.locator("#progress").textContent()).toBe("reviewed 1 of 3");
    await until(
      async () => readEntry(live(), "app-q-1")?.decisions.WD?.status === "proposed",
      "the undo arrives",
    );
    expect(readEntry(live(), "app-ru-2")?.decisions.WD?.status).toBe("proposed");
    expect(readEntry(live(), "app-ru-1")?.decisions.WD?.status).toBe("accepted");
    // Cancelling the question decides nothing.
    await page.keyboard.press("Shift+A");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await page.locator("#progress").textContent()).toBe("reviewed 1 of 3");
    editor.provider.destroy();
    await page.close();
  });

  it("shows one reviewer's decisions to another, live, with who decided", async () => {
    const open = async (name: string) => {
      const page = await openEditor(
        env.browser,
        env.server.url,
        name,
        env.server.userToken(name, "reviewer"),
      );
      await page.goto(`${env.server.url}/editions/manifesto/review/RU`);
      await page.locator(".v.current").first().waitFor();
      return page;
    };
    const rita = await open("Rita");
    const ron = await open("Ron");
    expect(await ron.locator("#current").textContent()).toMatch(/accepted/);
    await rita.keyboard.press("r");
    await expect.poll(() => ron.locator("#current").textContent()).toMatch(/rejected.*decided by Rita/);
    expect(await ron.locator(".cell.base .v.current").getAttribute("class")).toContain("status-rejected");
    // A reviewer may decide but the text stays closed to them.
    await rita.goto(`${env.server.url}/editions/manifesto`);
    await rita.waitForSelector('#status[data-state="synced"]');
    expect(await rita.locator(".ProseMirror").getAttribute("contenteditable")).toBe("false");
    await rita.close();
    await ron.close();
  });

  it("refuses an import that is not UTF-8, empty, or of a siglum already holding a text, saying which", async () => {
    const post = (siglum: string, body: Blob | string) =>
      fetch(`${env.server.url}/api/editions/manifesto/witnesses/${siglum}?filename=f.txt`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${env.server.token("editor")}`,
          "content-type": "application/octet-stream",
        },
        body,
      });
    const latin1 = await post("LAT", new Blob([new Uint8Array([0x63, 0x61, 0x66, 0xe9])]));
    expect([latin1.status, await latin1.json()]).toEqual([400, { error: "f.txt is not UTF-8 text" }]);
    const empty = await post("EMP", "");
    expect([empty.status, await empty.json()]).toEqual([400, { error: "f.txt is empty" }]);
    const again = await post("ICC", "Title: x\nPublication: x\nDate: x\nAddress: x\n---\nText.\n");
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({
      error: 'witness "ICC" is already registered with a text in edition "manifesto"',
    });
    const noHeader = await post("NOH", "Just text, with no provenance.\n");
    expect(noHeader.status).toBe(400);
    expect(((await noHeader.json()) as { error: string }).error).toMatch(/lacks "Publication"/);
  });
});

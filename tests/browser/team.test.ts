import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { editorText, until } from "../helpers/editorPage.ts";
import { withServerAndBrowser } from "../helpers/suite.ts";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const LETTER = `Title: A letter to the editors
Publication: The Workers' Review, no. 3
Date: 1924
Address: https://example.org/review/3
---
## To the editors

Comrades, we write to you about the united front.

We stand by the Manifesto.
`;

/** A browser context of its own (one person), signed in with a token when one is given. */
async function person(
  env: ReturnType<typeof withServerAndBrowser>,
  token: string | null,
  options: { bypassCSP?: boolean; clipboard?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await env.browser.newContext({
    viewport: { width: 1300, height: 900 },
    bypassCSP: options.bypassCSP ?? false,
  });
  if (options.clipboard)
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.server.url });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  if (token) await page.goto(`${env.server.url}/login?token=${encodeURIComponent(token)}`);
  return { context, page };
}

/** The base text as the server holds it now. */
async function serverText(env: ReturnType<typeof withServerAndBrowser>, token: string): Promise<string> {
  const res = await fetch(`${env.server.url}/api/editions/letter/witnesses/BASE`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return res.text();
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({
      resultTypes: ["violations"],
    }),
  )) as { violations: { id: string; impact: string; nodes: { target: unknown }[] }[] };
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`);
}

describe("a research team runs its own Variorum, in the browser", () => {
  const env = withServerAndBrowser();

  it("creates an edition from a text file, invites a reviewer, makes her editor, removes her, and publishes", async () => {
    const olgaToken = env.server.userToken("Olga", "editor");
    const olga = await person(env, olgaToken, { clipboard: true });
    const { page } = olga;

    // New edition, from a text with a provenance header: the preview first.
    await page.goto(env.server.url);
    await page.getByLabel("File", { exact: true }).setInputFiles({
      name: "letter.txt",
      mimeType: "text/plain",
      buffer: Buffer.from(LETTER),
    });
    await page.getByLabel("Edition id").fill("letter");
    await page.getByRole("button", { name: "Preview" }).click();
    await page.locator("#not-represented").waitFor();
    expect(await page.locator("#preview-summary").innerText()).toContain(
      "“A letter to the editors” as edition letter",
    );
    expect(await page.locator("#not-represented").innerText()).toBe(
      "Everything in the file is kept as it is.",
    );
    expect(env.server.db.getEdition("letter")).toBeNull();
    await page.getByRole("button", { name: "Create the edition" }).click();
    await page.waitForURL(/\/editions\/letter$/);
    await page.waitForSelector('#status[data-state="synced"]');
    expect(await editorText(page)).toContain("Comrades, we write to you about the united front.");

    // The start page lists it with Olga's role.
    await page.goto(env.server.url);
    expect(await page.locator('[data-edition="letter"] .role').innerText()).toBe("owner");

    // An invitation link as reviewer: absolute, copied, its expiry shown.
    await page.goto(`${env.server.url}/editions/letter/members`);
    await page.getByLabel("Role for the invited person").selectOption("reviewer");
    await page.getByRole("button", { name: "Create an invitation link" }).click();
    await page.locator("#invite-result").waitFor({ state: "visible" });
    const link = await page.locator("#invite-link").inputValue();
    expect(link).toMatch(new RegExp(`^${env.server.url}/invite/[A-Za-z0-9_-]+$`));
    expect(await page.locator("#invite-expiry").innerText()).toMatch(
      /until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(14 days\)/,
    );
    await page.getByRole("button", { name: "Copy the link" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await until(
      async () => (await page.locator("#invites-list li[data-invite]").count()) === 1,
      "the unused invitation",
    );

    // A second browser accepts it, making an account.
    const rita = await person(env, null);
    await rita.page.goto(link);
    await rita.page.getByLabel("Name").fill("Rita");
    await rita.page.getByLabel(/^Password/).fill("reviewing is fun");
    await rita.page.getByRole("button", { name: "Create the account" }).click();
    await rita.page.waitForURL(/\/editions\/letter$/);
    await rita.page.waitForSelector('#status[data-state="synced"]');
    expect(await rita.page.locator("#role").innerText()).toBe("reviewer");

    // The invitation is used up; Rita is listed; Olga makes her editor.
    await page.reload();
    await page.locator('tr[data-member="Rita"]').waitFor();
    await until(
      async () => (await page.locator("#invites-list").innerText()) === "None.",
      "the used invitation to go",
    );
    await page.getByLabel("Role of Rita").selectOption("editor");
    await until(
      async () => (await page.locator("#members-message").innerText()) === "Rita is now editor.",
      "the role change",
    );
    const ritaId = env.server.db.accounts.getUserByName("Rita")?.id ?? 0;
    expect(env.server.db.accounts.getRole(ritaId, "letter")).toBe("editor");

    // As editor she types, and Olga's workbench shows it.
    const olgaBench = await olga.context.newPage();
    await olgaBench.goto(`${env.server.url}/editions/letter`);
    await olgaBench.waitForSelector('#status[data-state="synced"]');
    await rita.page.reload();
    await rita.page.waitForSelector('#status[data-state="synced"]');
    expect(await rita.page.locator("#role").innerText()).toBe("editor");
    await rita.page.locator(".ProseMirror p", { hasText: "Comrades" }).click();
    await rita.page.keyboard.press("End");
    await rita.page.keyboard.type(" RITA");
    await until(
      async () => (await editorText(olgaBench)).includes("united front. RITA"),
      "Olga to see Rita's typing",
    );

    // Olga removes her: Rita's socket is closed, and her next keystroke changes nothing anywhere.
    await page.getByRole("button", { name: "Remove Rita" }).click();
    await until(
      async () =>
        (await page.locator("#members-message").innerText()).startsWith("Rita is no longer a member"),
      "the removal",
    );
    await rita.page.waitForSelector('#status[data-state="refused"]', { timeout: 5000 });
    const before = await serverText(env, olgaToken);
    expect(before).toContain("united front. RITA");
    await rita.page.keyboard.type("X");
    await new Promise((r) => setTimeout(r, 1500));
    expect(await serverText(env, olgaToken)).toBe(before);
    expect(await editorText(olgaBench)).not.toContain("RITAX");
    // Opening it again is refused at the door.
    const again = await rita.page.goto(`${env.server.url}/editions/letter`);
    expect(again?.status()).toBe(403);
    expect(await rita.page.locator("[role=alert]").innerText()).toBe(
      'Rita is not a member of edition "letter" and may not read it',
    );

    // Publish, saying what it means; then a visitor without an account reads it.
    expect(await page.locator("#publish-state").innerText()).toContain("Unpublished: only the members");
    const visitor = await person(env, null);
    expect((await visitor.page.goto(`${env.server.url}/read/letter/`))?.status()).toBe(401);
    await page.getByRole("button", { name: "Publish: anyone may read" }).click();
    await until(
      async () => (await page.locator("#publish-state").innerText()).startsWith("Published: anyone"),
      "publication",
    );
    expect((await visitor.page.goto(`${env.server.url}/read/letter/`))?.status()).toBe(200);
    expect(await visitor.page.locator("h1").innerText()).toContain("A letter to the editors");
    expect(await visitor.page.locator("body").innerText()).toContain(
      "Comrades, we write to you about the united front. RITA",
    );

    for (const p of [olga, rita, visitor]) await p.context.close();
  });

  it("lists what a TEI file cannot represent before anything is created", async () => {
    const { context, page } = await person(env, env.server.userToken("Tess", "editor"));
    const tei = `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>A TEI letter</title></titleStmt>
<publicationStmt><p>Somewhere.</p></publicationStmt><sourceDesc><p>A letter.</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>Comrades, we write.</p></body></text></TEI>`;
    await page.goto(env.server.url);
    await page
      .getByLabel("File", { exact: true })
      .setInputFiles({ name: "letter.xml", mimeType: "application/xml", buffer: Buffer.from(tei) });
    await page.getByLabel("Edition id").fill("tei-letter");
    await page.getByRole("button", { name: "Preview" }).click();
    await page.locator("#not-represented li").first().waitFor();
    expect(await page.locator("#not-represented").innerText()).toContain("publicationStmt");
    expect(env.server.db.getEdition("tei-letter")).toBeNull();
    await page.getByRole("button", { name: "Cancel" }).click();
    expect(await page.locator("#new-edition-message").innerText()).toBe("Nothing was created.");
    expect(env.server.db.getEdition("tei-letter")).toBeNull();
    await context.close();
  });

  it("edits the title and provenance, and deletes an edition after its id is typed, leaving the others", async () => {
    const token = env.server.userToken("Dora", "editor");
    const created = await fetch(`${env.server.url}/api/editions?id=doomed&filename=l.txt`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
      body: LETTER,
    });
    expect(created.status).toBe(201);
    const { context, page } = await person(env, token);
    await page.goto(`${env.server.url}/editions/doomed/settings`);
    await page.getByLabel("Title of the edition").fill("A doomed letter");
    await page.getByLabel("Date").fill("March 1924");
    await page.getByRole("button", { name: "Save" }).click();
    await until(async () => (await page.locator("#settings-message").innerText()) === "Saved.", "saving");
    expect(env.server.db.getEdition("doomed")?.title).toBe("A doomed letter");
    expect(await page.locator("#tei-export").getAttribute("href")).toBe("/api/editions/doomed/tei");
    const manifestoBefore = env.server.db.load("manifesto").updates.length;
    await page.getByLabel(/Type the edition's id/).fill("wrong");
    await page.getByRole("button", { name: "Delete the edition for good" }).click();
    expect(await page.locator("#settings-message").innerText()).toContain("Nothing was deleted");
    expect(env.server.db.getEdition("doomed")).not.toBeNull();
    await page.getByLabel(/Type the edition's id/).fill("doomed");
    await page.getByRole("button", { name: "Delete the edition for good" }).click();
    await page.waitForURL(`${env.server.url}/`);
    expect(env.server.db.getEdition("doomed")).toBeNull();
    expect(await page.locator('[data-edition="doomed"]').count()).toBe(0);
    expect(env.server.db.getEdition("manifesto")).not.toBeNull();
    expect(env.server.db.load("manifesto").updates.length).toBe(manifestoBefore);
    await context.close();
  });

  it("changes the password, revokes an API token and signs out everywhere from the account page", async () => {
    const token = env.server.userToken("Pia", "reviewer");
    const { context, page } = await person(env, token);
    await page.goto(`${env.server.url}/account`);
    expect(await page.locator("#tokens-list li").count()).toBe(1);
    await page.getByLabel("New password").fill("a long new password");
    await page.getByRole("button", { name: "Change the password" }).click();
    await until(
      async () => (await page.locator("#account-message").innerText()).startsWith("The password is changed"),
      "the password change",
    );
    expect(await env.server.auth.verifyPassword("Pia", "a long new password")).not.toBeNull();
    await page.getByRole("button", { name: /^Revoke token for Pia/ }).click();
    await until(async () => (await page.locator("#tokens-list li").count()) === 0, "the token to go");
    expect(
      (await fetch(`${env.server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    const me = (await (
      await fetch(`${env.server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { user: unknown };
    expect(me.user).toBeNull();
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.waitForURL(`${env.server.url}/`);
    expect(await page.locator(".who").innerText()).toBe("Sign in");
    await context.close();
  });

  it("keeps the start, members, settings and account pages accessible (axe-core)", async () => {
    const token = env.server.userToken("Ann", "owner");
    const { context, page } = await person(env, token, { bypassCSP: true });
    for (const path of ["/", "/editions/manifesto/members", "/editions/manifesto/settings", "/account"]) {
      await page.goto(`${env.server.url}${path}`);
      await page.waitForLoadState("networkidle");
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await context.close();
  });
});

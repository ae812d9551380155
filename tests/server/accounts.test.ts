import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { exited, spawnServer } from "../helpers/process.ts";
import { upgradeStatus } from "../helpers/rawClient.ts";
import { tempDir } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const cleanup = cleanupAfterEach();
const server = cleanup.server;

function form(data: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(data).toString(),
    redirect: "manual",
  };
}

const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0] as string;

describe("accounts and sign-in", () => {
  it("prints a one-time link on first start that makes its visitor the owner, and only once", async () => {
    const dataDir = tempDir();
    cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
    const started = await spawnServer(dataDir);
    cleanup.add(async () => {
      started.child.kill("SIGTERM");
      await exited(started.child);
    });
    const link = /(http:\/\/\S+\/claim\/\S+)/.exec(started.stdout)?.[1];
    expect(link, started.stdout).toBeDefined();
    const page = await fetch(link as string);
    expect(await page.text()).toContain("Become the owner");
    const weak = await fetch(link as string, form({ name: "Olga", password: "short" }));
    expect(weak.status).toBe(400);
    const claimed = await fetch(link as string, form({ name: "Olga", password: "a long enough secret" }));
    expect(claimed.status).toBe(303);
    expect(claimed.headers.get("set-cookie")).toMatch(
      /variorum_session=.+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax/,
    );
    const home = await (await fetch(`${started.url}/`, { headers: { cookie: cookieOf(claimed) } })).text();
    expect(home).toContain("Signed in as <strong>Olga</strong> (owner of this Variorum)");
    expect(home).toContain('href="/editions/manifesto"');
    expect((await fetch(link as string, form({ name: "Eve", password: "another long secret" }))).status).toBe(
      404,
    );
  });

  it("keeps every printed claim link good until one is used, as each server of a cluster prints its own", async () => {
    const s = await server();
    const first = await s.auth.claimToken();
    const second = await s.auth.claimToken();
    if (!first || !second) throw new Error("a fresh instance has no claim link");
    expect((await fetch(`${s.url}/claim/${first}`)).status).toBe(200);
    expect((await fetch(`${s.url}/claim/${second}`)).status).toBe(200);
    const claimed = await fetch(
      `${s.url}/claim/${second}`,
      form({ name: "Olga", password: "a long enough secret" }),
    );
    expect(claimed.status).toBe(303);
    expect((await fetch(`${s.url}/claim/${first}`)).status).toBe(404);
    expect(await s.auth.claimToken()).toBeNull();
  });

  it("makes one owner when two claim links are used at once: the other is told the link is used", async () => {
    const s = await server();
    const links = [await s.auth.claimToken(), await s.auth.claimToken()];
    // Both forms pass the first check; the password hashing between that and the account is the window.
    const statuses = await Promise.all(
      links.map(async (token, i) =>
        (await fetch(`${s.url}/claim/${token}`, form({ name: `Owner ${i}`, password: "a long enough secret" })))
          .status,
      ),
    );
    expect(statuses.sort()).toEqual([303, 404]);
    expect(s.db.accounts.countUsers()).toBe(1);
  });

  it("signs a browser in with an API token (/login?token=) and with a password, and signs it out", async () => {
    const s = await server();
    const token = s.token("editor");
    const viaToken = await fetch(`${s.url}/login?token=${token}`, { redirect: "manual" });
    expect(viaToken.status).toBe(303);
    expect(viaToken.headers.get("location")).toBe("/");
    const cookie = cookieOf(viaToken);
    expect((await fetch(`${s.url}/api/editions/manifesto`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${s.url}/login?token=nonsense`, { redirect: "manual" })).status).toBe(401);

    const user = s.db.accounts.getUserByName("editor-of-manifesto");
    s.db.accounts.setPassword(user?.id ?? 0, await s.auth.hashPassword("correct horse battery"));
    expect(
      (await fetch(`${s.url}/login`, form({ name: "editor-of-manifesto", password: "wrong password!" })))
        .status,
    ).toBe(401);
    const ok = await fetch(
      `${s.url}/login`,
      form({ name: "editor-of-manifesto", password: "correct horse battery" }),
    );
    expect(ok.status).toBe(303);
    const out = await fetch(`${s.url}/logout`, {
      method: "POST",
      headers: { cookie: cookieOf(ok) },
      redirect: "manual",
    });
    expect(out.status).toBe(303);
    expect(
      (await fetch(`${s.url}/api/editions/manifesto`, { headers: { cookie: cookieOf(ok) } })).status,
    ).toBe(401);
  });

  it("turns an invitation into an account with the invited role, once", async () => {
    const s = await server();
    const created = await fetch(`${s.url}/api/editions/manifesto/invites`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.token("owner")}`, "content-type": "application/json" },
      body: JSON.stringify({ role: "reviewer" }),
    });
    const { url } = (await created.json()) as { url: string };
    expect(await (await fetch(`${s.url}${url}`)).text()).toContain("as reviewer");
    const joined = await fetch(`${s.url}${url}`, form({ name: "Rita", password: "reviewing is fun" }));
    expect(joined.headers.get("location")).toBe("/editions/manifesto");
    const rita = s.db.accounts.getUserByName("Rita");
    expect(s.db.accounts.getRole(rita?.id ?? 0, "manifesto")).toBe("reviewer");
    expect((await fetch(`${s.url}${url}`)).status).toBe(404);
  });

  it("lets an invitation make one account when two people send its form at once", async () => {
    const s = await server();
    const created = await fetch(`${s.url}/api/editions/manifesto/invites`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.token("owner")}`, "content-type": "application/json" },
      body: JSON.stringify({ role: "editor" }),
    });
    const { url } = (await created.json()) as { url: string };
    const statuses = await Promise.all(
      ["Ada", "Bea"].map(
        async (name) => (await fetch(`${s.url}${url}`, form({ name, password: "editing is fun" }))).status,
      ),
    );
    expect(statuses.sort()).toEqual([303, 404]);
    const joined = ["Ada", "Bea"].filter((n) => s.db.accounts.getUserByName(n));
    expect(joined).toHaveLength(1);
  });

  it("limits sign-in attempts per address", async () => {
    const s = await server({ rateLimits: { signInPerMinute: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await fetch(`${s.url}/login`, form({ name: "x", password: "y" }))).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it("limits websocket connections per address", async () => {
    const s = await server({ rateLimits: { connectionsPerMinute: 2 } });
    const url = `${s.wsUrl}/manifesto?token=${s.token("reader")}`;
    expect([await upgradeStatus(url), await upgradeStatus(url), await upgradeStatus(url)]).toEqual([
      101, 101, 429,
    ]);
  });
});

describe("hardening", () => {
  it("sends a strict Content-Security-Policy and other protective headers", async () => {
    const s = await server();
    const res = await fetch(`${s.url}/`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("refuses a websocket opened from another site's page, before the upgrade", async () => {
    const s = await server();
    const url = `${s.wsUrl}/manifesto?token=${s.token("editor")}`;
    expect(await upgradeStatus(url, { origin: "https://evil.example" })).toBe(403);
    expect(await upgradeStatus(url, { origin: `http://127.0.0.1:${s.port}` })).toBe(101);
  });

  it("refuses a cross-site form post made with this browser's cookie", async () => {
    const s = await server();
    const viaToken = await fetch(`${s.url}/login?token=${s.token("owner")}`, { redirect: "manual" });
    const res = await fetch(`${s.url}/api/editions/manifesto/publish`, {
      method: "POST",
      headers: {
        cookie: cookieOf(viaToken),
        origin: "https://evil.example",
        "content-type": "application/json",
      },
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "cross-origin request from https://evil.example refused" });
  });
});

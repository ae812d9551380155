import { describe, expect, it } from "vitest";
import type { TestServer } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const cleanup = cleanupAfterEach();

function call(s: TestServer, token: string, method: string, path: string, body?: unknown) {
  return fetch(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

describe("members, invitations and publishing over HTTP", () => {
  it("makes an absolute invitation link with its expiry, lists it while unused, and revokes it", async () => {
    const s = await cleanup.server();
    const owner = s.token("owner");
    const made = await call(s, owner, "POST", "/api/editions/manifesto/invites", { role: "reviewer" });
    expect(made.status).toBe(201);
    const invite = (await made.json()) as { url: string; link: string; expiresAt: number; role: string };
    expect(invite.link).toBe(`${s.url}${invite.url}`);
    expect(invite.expiresAt - Date.now()).toBeGreaterThan(13.9 * 86_400_000);
    const listed = (await (await call(s, owner, "GET", "/api/editions/manifesto/invites")).json()) as {
      id: number;
      role: string;
      expiresAt: number;
    }[];
    expect(listed).toEqual([expect.objectContaining({ role: "reviewer", expiresAt: invite.expiresAt })]);
    const id = listed[0]?.id;
    expect((await call(s, owner, "DELETE", `/api/editions/manifesto/invites/${id}`)).status).toBe(200);
    expect(await (await call(s, owner, "GET", "/api/editions/manifesto/invites")).json()).toEqual([]);
    // The revoked link is worthless.
    expect((await fetch(`${s.url}${invite.url}`)).status).toBe(404);
    const again = await call(s, owner, "DELETE", `/api/editions/manifesto/invites/${id}`);
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toBe(`invitation ${id} to edition "manifesto" was already used or revoked`);
  });

  it("uses the public URL for invitation links when one is set", async () => {
    const s = await cleanup.server({ publicUrl: "https://variorum.example.org" });
    const made = await call(s, s.token("owner"), "POST", "/api/editions/manifesto/invites", {
      role: "reader",
    });
    expect(((await made.json()) as { link: string }).link).toMatch(
      /^https:\/\/variorum\.example\.org\/invite\/[A-Za-z0-9_-]+$/,
    );
  });

  it("changes a role, removes a member, and refuses to change one's own role", async () => {
    const s = await cleanup.server();
    const owner = s.token("owner");
    s.userToken("Rita", "reviewer");
    const changed = await call(s, owner, "PUT", "/api/editions/manifesto/members/Rita", { role: "editor" });
    expect(await changed.json()).toEqual({ name: "Rita", role: "editor" });
    const members = (await (await call(s, owner, "GET", "/api/editions/manifesto/members")).json()) as {
      name: string;
      role: string;
    }[];
    expect(members).toContainEqual({ name: "Rita", role: "editor" });
    const bad = await call(s, owner, "PUT", "/api/editions/manifesto/members/Rita", { role: "king" });
    expect(bad.status).toBe(400);
    expect((await call(s, owner, "DELETE", "/api/editions/manifesto/members/Rita")).status).toBe(200);
    const rita = s.db.accounts.getUserByName("Rita");
    expect(s.db.accounts.getRole(rita?.id ?? 0, "manifesto")).toBeNull();
    const self = await call(s, owner, "PUT", "/api/editions/manifesto/members/owner-of-manifesto", {
      role: "reader",
    });
    expect(self.status).toBe(409);
    expect(await errorOf(self)).toBe(
      'owner-of-manifesto may not change their own role in edition "manifesto": ask another owner',
    );
    expect((await call(s, owner, "DELETE", "/api/editions/manifesto/members/Nobody")).status).toBe(404);
  });

  it("refuses every owner's route to an editor, naming who and what", async () => {
    const s = await cleanup.server();
    const editor = s.token("editor");
    const routes: [string, string, unknown?][] = [
      ["GET", "/api/editions/manifesto/members"],
      ["PUT", "/api/editions/manifesto/members/editor-of-manifesto", { role: "owner" }],
      ["DELETE", "/api/editions/manifesto/members/editor-of-manifesto"],
      ["POST", "/api/editions/manifesto/invites", { role: "owner" }],
      ["GET", "/api/editions/manifesto/invites"],
      ["DELETE", "/api/editions/manifesto/invites/1"],
      ["POST", "/api/editions/manifesto/publish", {}],
      ["DELETE", "/api/editions/manifesto", { confirm: "manifesto" }],
    ];
    for (const [method, path, body] of routes) {
      const res = await call(s, editor, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(await errorOf(res), `${method} ${path}`).toBe(
        'editor-of-manifesto is an editor of edition "manifesto" and may not manage it',
      );
    }
    const page = await fetch(`${s.url}/editions/manifesto/members`, {
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(page.status).toBe(403);
    expect(s.db.getEdition("manifesto")?.published).toBe(false);
    expect(
      s.db.accounts.getRole(s.db.accounts.getUserByName("editor-of-manifesto")?.id ?? 0, "manifesto"),
    ).toBe("editor");
  });

  it("publishes and unpublishes: a visitor may read only while it is published", async () => {
    const s = await cleanup.server();
    const owner = s.token("owner");
    expect((await fetch(`${s.url}/api/editions/manifesto`)).status).toBe(401);
    expect(await (await call(s, owner, "POST", "/api/editions/manifesto/publish", {})).json()).toEqual({
      id: "manifesto",
      published: true,
    });
    expect((await fetch(`${s.url}/api/editions/manifesto`)).status).toBe(200);
    await call(s, owner, "POST", "/api/editions/manifesto/publish", { published: false });
    expect((await fetch(`${s.url}/api/editions/manifesto`)).status).toBe(401);
  });
});

describe("one's account over HTTP", () => {
  const signIn = async (s: TestServer, name: string, password: string) => {
    const res = await fetch(`${s.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name, password }).toString(),
      redirect: "manual",
    });
    return (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
  };
  const withCookie = (s: TestServer, cookie: string, method: string, path: string, body?: unknown) =>
    fetch(`${s.url}${path}`, {
      method,
      headers: { cookie, origin: s.url, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
    });

  it("changes the password with the current one, ending the other sessions but not this one", async () => {
    const s = await cleanup.server();
    const token = s.userToken("Pia", "editor");
    // Pia's first password (her account was made by the command line, without one).
    expect(
      (await call(s, token, "POST", "/api/account/password", { password: "first password!" })).status,
    ).toBe(200);
    const here = await signIn(s, "Pia", "first password!");
    const there = await signIn(s, "Pia", "first password!");
    const wrong = await withCookie(s, here, "POST", "/api/account/password", {
      current: "not it at all",
      password: "second password!",
    });
    expect(wrong.status).toBe(403);
    expect(await errorOf(wrong)).toBe("the current password of Pia is wrong; nothing was changed");
    const ok = await withCookie(s, here, "POST", "/api/account/password", {
      current: "first password!",
      password: "second password!",
    });
    expect(await ok.json()).toEqual({ changed: true, otherSessionsEnded: 1 });
    const me = async (cookie: string) =>
      ((await (await withCookie(s, cookie, "GET", "/api/me")).json()) as { user: { name: string } | null })
        .user;
    expect(await me(here)).toEqual({ name: "Pia", admin: false });
    expect(await me(there)).toBeNull();
    expect(await s.auth.verifyPassword("Pia", "second password!")).not.toBeNull();
  });

  it("signs out everywhere: every session ends, API tokens stay", async () => {
    const s = await cleanup.server();
    const token = s.userToken("Pia", "editor");
    await call(s, token, "POST", "/api/account/password", { password: "first password!" });
    const a = await signIn(s, "Pia", "first password!");
    const b = await signIn(s, "Pia", "first password!");
    const out = await withCookie(s, a, "POST", "/api/account/sign-out-everywhere");
    expect(await out.json()).toEqual({ sessionsEnded: 2 });
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    for (const c of [a, b]) expect((await withCookie(s, c, "GET", "/api/account/tokens")).status).toBe(401);
    expect((await call(s, token, "GET", "/api/account/tokens")).status).toBe(200);
  });

  it("lists and revokes one's own API tokens, and no one else's", async () => {
    const s = await cleanup.server();
    const pia = s.userToken("Pia", "editor");
    const ugo = s.userToken("Ugo", "editor");
    const list = (await (await call(s, pia, "GET", "/api/account/tokens")).json()) as {
      id: number;
      label: string;
    }[];
    expect(list).toEqual([expect.objectContaining({ label: "token for Pia" })]);
    const ugoId = ((await (await call(s, ugo, "GET", "/api/account/tokens")).json()) as { id: number }[])[0]
      ?.id;
    const foreign = await call(s, pia, "DELETE", `/api/account/tokens/${ugoId}`);
    expect(foreign.status).toBe(404);
    expect(await errorOf(foreign)).toBe(`Pia has no API token ${ugoId}`);
    expect((await call(s, ugo, "GET", "/api/account/tokens")).status).toBe(200);
    expect((await call(s, pia, "DELETE", `/api/account/tokens/${list[0]?.id}`)).status).toBe(200);
    expect((await call(s, pia, "GET", "/api/account/tokens")).status).toBe(401);
  });
});

import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { CloseCode } from "../../server/closeCodes.ts";
import { ROOT } from "../helpers/paths.ts";
import { type RawPeer, rawPeer } from "../helpers/rawClient.ts";
import { type TestServer, until } from "../helpers/server.ts";
import { loadDoc } from "../helpers/storedDoc.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const run = promisify(execFile);
const { server, add } = cleanupAfterEach();

/** Types `marker` at the start of the first paragraph of the text. */
const typeInto = (marker: string) => (doc: Y.Doc) =>
  ((doc.getXmlFragment("body").get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, marker);

const holds = (doc: Y.Doc, marker: string) => doc.getXmlFragment("body").toString().includes(marker);

/** How the server closed a peer's socket, or code -1 if it is still open after `ms`. */
function closedWithin(p: RawPeer, ms = 3000): Promise<{ code: number; reason: string; at: number }> {
  return Promise.race([
    p.closed,
    new Promise<{ code: number; reason: string; at: number }>((r) =>
      setTimeout(() => r({ code: -1, reason: "still open", at: Date.now() }), ms),
    ),
  ]);
}

async function peer(s: TestServer, token: string, headers: Record<string, string> = {}): Promise<RawPeer> {
  const p = await rawPeer(`${s.wsUrl}/manifesto${token ? `?token=${token}` : ""}`, headers);
  add(() => p.ws.close());
  return p;
}

/** The owner's role change for a member, through the API, as the members page makes it. */
async function setRole(s: TestServer, name: string, role: string | null): Promise<number> {
  const res = await fetch(`${s.url}/api/editions/manifesto/members/${encodeURIComponent(name)}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${s.token("owner")}`, "content-type": "application/json" },
    body: JSON.stringify({ role }),
  });
  return res.status;
}

/**
 * The editor's socket works (their first update reaches the owner), then `revoke` runs; an update sent
 * at once afterwards must reach no one, and the socket must close with 4403 within a second.
 */
async function revokedWhileOpen(
  s: TestServer,
  editor: RawPeer,
  revoke: () => Promise<void>,
): Promise<{ code: number; reason: string; afterMs: number }> {
  const owner = await peer(s, s.token("owner"));
  editor.change(typeInto("BEFORE-REVOCATION "));
  await until(() => holds(owner.doc, "BEFORE-REVOCATION"), "the editor's update before revocation");

  await revoke();
  const revokedAt = Date.now();
  editor.change(typeInto("AFTER-REVOCATION "));
  const closed = await closedWithin(editor);

  // Give a wrongly accepted update every chance to arrive before looking.
  await new Promise((r) => setTimeout(r, 400));
  expect(holds(owner.doc, "AFTER-REVOCATION"), "another client received it").toBe(false);
  expect(await s.documents.with("manifesto", (d) => holds(d.ydoc, "AFTER-REVOCATION"))).toBe(false);
  expect(holds(loadDoc(s.db, "manifesto"), "AFTER-REVOCATION"), "it was stored").toBe(false);
  expect(holds(loadDoc(s.db, "manifesto"), "BEFORE-REVOCATION")).toBe(true);
  return { code: closed.code, reason: closed.reason, afterMs: closed.at - revokedAt };
}

describe("revocation reaches open websockets at once", () => {
  it("closes a removed editor's socket with 4403 and refuses what they send after the removal", async () => {
    const s = await server();
    const token = s.userToken("Edna", "editor");
    const editor = await peer(s, token);
    const closed = await revokedWhileOpen(s, editor, async () => {
      expect(await setRole(s, "Edna", null)).toBe(200);
    });
    expect(closed.code).toBe(CloseCode.forbidden);
    expect(closed.reason).toMatch(/Edna is no longer a member of "manifesto"/);
    expect(closed.afterMs).toBeLessThan(1000);
    const http = await fetch(`${s.url}/api/editions/manifesto`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(http.status).toBe(403);
  });

  it("closes the socket of an editor lowered to reader, and refuses their update", async () => {
    const s = await server();
    const token = s.userToken("Lowell", "editor");
    const editor = await peer(s, token);
    const closed = await revokedWhileOpen(s, editor, async () => {
      expect(await setRole(s, "Lowell", "reader")).toBe(200);
    });
    expect(closed.code).toBe(CloseCode.forbidden);
    expect(closed.reason).toMatch(/Lowell is now reader of "manifesto" \(was editor\)/);
    expect(closed.afterMs).toBeLessThan(1000);
    // A reader may still open the edition read-only, but not write over HTTP.
    const again = await peer(s, token);
    again.change(typeInto("READER-WRITES "));
    expect((await closedWithin(again)).code).toBe(CloseCode.forbidden);
    const version = await fetch(`${s.url}/api/editions/manifesto/versions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ label: "by a former editor" }),
    });
    expect(version.status).toBe(403);
  });

  it("widens a reader's socket in place when they are made editor", async () => {
    const s = await server();
    const token = s.userToken("Rosa", "reader");
    const rosa = await peer(s, token);
    const owner = await peer(s, s.token("owner"));
    expect(await setRole(s, "Rosa", "editor")).toBe(200);
    await until(() => s.log.lines.some((l) => /Rosa is now editor/.test(l)), "the re-scoping");
    expect(rosa.change(typeInto("PROMOTED "))).toBe(true);
    await until(() => holds(owner.doc, "PROMOTED"), "the promoted reader's update");
    expect(rosa.ws.readyState).toBe(rosa.ws.OPEN);
  });

  it("closes the socket of a token revoked by `npx variorum user revoke` in another process", async () => {
    const s = await server();
    const token = s.userToken("Cleo", "editor");
    const editor = await peer(s, token);
    const closed = await revokedWhileOpen(s, editor, async () => {
      const cli = await run(process.execPath, [join(ROOT, "bin/variorum.mjs"), "user", "revoke", token], {
        cwd: ROOT,
        env: { ...process.env, VARIORUM_DATA: s.dataDir },
      });
      expect(cli.stdout).toMatch(/revoked api token/);
    });
    expect(closed.code).toBe(CloseCode.forbidden);
    expect(closed.reason).toMatch(/the API token of Cleo was revoked/);
    expect(closed.afterMs).toBeLessThan(1000);
    const http = await fetch(`${s.url}/api/editions/manifesto`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(http.status).toBe(401);
  });

  it("closes the sockets of a browser session when it signs out", async () => {
    const s = await server();
    const user = s.db.accounts.createUser("Sasha", await s.auth.hashPassword("a long password"), false);
    s.db.accounts.setRole(user.id, "manifesto", "editor");
    const login = await fetch(`${s.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=Sasha&password=a+long+password",
      redirect: "manual",
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
    expect(cookie).toMatch(/^variorum_session=/);
    const editor = await peer(s, "", { cookie, origin: `http://127.0.0.1:${s.port}` });
    const closed = await revokedWhileOpen(s, editor, async () => {
      const out = await fetch(`${s.url}/logout`, {
        method: "POST",
        headers: { cookie, origin: s.url },
        redirect: "manual",
      });
      expect(out.status).toBe(303);
    });
    expect(closed.code).toBe(CloseCode.forbidden);
    expect(closed.reason).toMatch(/the session of Sasha was revoked/);
    expect(closed.afterMs).toBeLessThan(1000);
  });

  it("closes the sockets of every session of a person who signs out everywhere from another browser", async () => {
    const s = await server();
    const user = s.db.accounts.createUser("Vera", await s.auth.hashPassword("another long password"), false);
    s.db.accounts.setRole(user.id, "manifesto", "editor");
    const signIn = async () => {
      const login = await fetch(`${s.url}/login`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "name=Vera&password=another+long+password",
        redirect: "manual",
      });
      return (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
    };
    const laptop = await signIn();
    const phone = await signIn();
    const editor = await peer(s, "", { cookie: laptop, origin: `http://127.0.0.1:${s.port}` });
    const closed = await revokedWhileOpen(s, editor, async () => {
      const out = await fetch(`${s.url}/api/account/sign-out-everywhere`, {
        method: "POST",
        headers: { cookie: phone, origin: s.url },
      });
      expect(out.status).toBe(200);
    });
    expect(closed.code).toBe(CloseCode.forbidden);
    expect(closed.reason).toMatch(/the session of Vera was revoked/);
    expect(closed.afterMs).toBeLessThan(1000);
  });

  it("closes an anonymous reader's socket when the edition is unpublished", async () => {
    const s = await server();
    const publish = (published: boolean) =>
      fetch(`${s.url}/api/editions/manifesto/publish`, {
        method: "POST",
        headers: { authorization: `Bearer ${s.token("owner")}`, "content-type": "application/json" },
        body: JSON.stringify({ published }),
      });
    expect((await publish(true)).status).toBe(200);
    const visitor = await peer(s, "");
    expect((await publish(false)).status).toBe(200);
    const closed = await closedWithin(visitor);
    expect(closed.code).toBe(CloseCode.forbidden);
    expect(closed.reason).toMatch(/"manifesto" is no longer published/);
  });

  it("closes a socket when its token expires", async () => {
    const s = await server();
    const user = s.db.accounts.createUser("Tempo", null, false);
    s.db.accounts.setRole(user.id, "manifesto", "editor");
    const token = s.db.accounts.createToken({
      kind: "api",
      userId: user.id,
      editionId: null,
      role: null,
      label: "short-lived",
      expiresAt: Date.now() + 1500,
    });
    const editor = await peer(s, token);
    const closed = await closedWithin(editor);
    expect(closed.code).toBe(CloseCode.forbidden);
    expect(closed.reason).toMatch(/the API token of Tempo expired/);
  });
});

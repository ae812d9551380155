import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { TestServer } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const cleanup = cleanupAfterEach();

const LETTER = `Title: A letter to the editors
Publication: The Workers' Review, no. 3
Date: 1924
Address: https://example.org/review/3
---
## To the editors

Comrades, we write to you about the united front.

We stand by the Manifesto.
`;

const TEI = `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>A TEI letter</title></titleStmt>
      <publicationStmt><p>Somewhere, 1924.</p></publicationStmt>
      <sourceDesc><p>A letter.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text><body><div><head>To the editors</head><p>Comrades, we write.</p></div></body></text>
</TEI>
`;

function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...extra };
}

/** Uploads a file to the preview or the creation route. */
function upload(
  s: TestServer,
  token: string,
  what: "preview" | "create",
  query: Record<string, string>,
  body: string,
) {
  const path = what === "preview" ? "/api/editions/preview" : "/api/editions";
  return fetch(`${s.url}${path}?${new URLSearchParams(query)}`, {
    method: "POST",
    headers: bearer(token, { "content-type": "application/octet-stream" }),
    body,
  });
}

function json(s: TestServer, token: string, method: string, path: string, body?: unknown) {
  return fetch(`${s.url}${path}`, {
    method,
    headers: bearer(token, { "content-type": "application/json" }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("editions over HTTP: create, edit, delete", () => {
  it("creates an edition from a text with a provenance header, after a preview, owned by its creator", async () => {
    const s = await cleanup.server();
    const ada = s.userToken("Ada", "editor");
    const query = { id: "letter", filename: "letter.txt", siglum: "WR" };
    const preview = await upload(s, ada, "preview", query, LETTER);
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({
      id: "letter",
      format: "text",
      title: "A letter to the editors",
      baseWitness: "WR",
      blocks: 3,
      notRepresented: [],
    });
    // A preview stores nothing.
    expect(s.db.getEdition("letter")).toBeNull();
    const created = await upload(s, ada, "create", query, LETTER);
    expect(created.status).toBe(201);
    expect((await created.json()) as { url: string }).toMatchObject({ url: "/editions/letter" });
    const ada_ = s.db.accounts.getUserByName("Ada");
    expect(s.db.accounts.getRole(ada_?.id ?? 0, "letter")).toBe("owner");
    const meta = (await (
      await fetch(`${s.url}/api/editions/letter`, { headers: bearer(ada) })
    ).json()) as Record<string, unknown>;
    expect(meta.title).toBe("A letter to the editors");
    const text = await (
      await fetch(`${s.url}/api/editions/letter/witnesses/WR`, { headers: bearer(ada) })
    ).text();
    // The words reach the edition as the file has them.
    expect(text).toContain("Comrades, we write to you about the united front.");
    expect(text).toContain("We stand by the Manifesto.");
    const register = (await (
      await fetch(`${s.url}/api/editions/letter/witnesses`, { headers: bearer(ada) })
    ).json()) as { siglum: string; publication: string }[];
    expect(register[0]).toMatchObject({ siglum: "WR", publication: "The Workers' Review, no. 3" });
  });

  it("lists what a TEI file cannot represent in the preview, and creates the edition only when confirmed", async () => {
    const s = await cleanup.server();
    const ada = s.userToken("Ada", "editor");
    const preview = await upload(s, ada, "preview", { id: "tei-letter", filename: "letter.xml" }, TEI);
    const summary = (await preview.json()) as { format: string; title: string; notRepresented: string[] };
    expect(summary.format).toBe("tei");
    expect(summary.title).toBe("A TEI letter");
    expect(summary.notRepresented.join("\n")).toContain("publicationStmt");
    expect(s.db.getEdition("tei-letter")).toBeNull();
    const created = await upload(s, ada, "create", { id: "tei-letter", filename: "letter.xml" }, TEI);
    expect(created.status).toBe(201);
    expect(((await created.json()) as { notRepresented: string[] }).notRepresented).toEqual(
      summary.notRepresented,
    );
    expect(s.db.getEdition("tei-letter")?.title).toBe("A TEI letter");
  });

  it("refuses a text without its header, with the line at fault, an id that is taken, and a visitor", async () => {
    const s = await cleanup.server();
    const ada = s.userToken("Ada", "editor");
    const bad = await upload(s, ada, "preview", { id: "bad", filename: "bad.txt" }, "Just words.\n");
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: string; details: string[] };
    expect(body.error).toContain("bad.txt is not a text with a provenance header");
    expect(body.details[0]).toMatch(/^line 1: /);
    const taken = await upload(s, ada, "create", { id: "manifesto", filename: "x.txt" }, LETTER);
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { error: string }).error).toBe(
      'edition "manifesto" already exists; choose another id',
    );
    const badId = await upload(s, ada, "create", { id: "Not An Id", filename: "x.txt" }, LETTER);
    expect(badId.status).toBe(400);
    const anonymous = await fetch(`${s.url}/api/editions?id=x`, { method: "POST", body: LETTER });
    expect(anonymous.status).toBe(401);
    expect(s.db.listEditions().map((e) => e.id)).toEqual(["manifesto"]);
  });

  it("edits the title and the base text's provenance, and refuses a reviewer, naming who and what", async () => {
    const s = await cleanup.server();
    const changed = await json(s, s.token("editor"), "PATCH", "/api/editions/manifesto", {
      title: "The Manifesto of 1923",
      provenance: { date: "2010 (online)" },
    });
    expect(changed.status).toBe(200);
    const meta = (await (await s.get("/api/editions/manifesto")).json()) as {
      title: string;
      provenance: { date: string; publication: string };
    };
    expect(meta.title).toBe("The Manifesto of 1923");
    expect(meta.provenance.date).toBe("2010 (online)");
    expect(meta.provenance.publication).toContain("International Review");
    expect(s.db.getEdition("manifesto")?.title).toBe("The Manifesto of 1923");
    const register = (await (await s.get("/api/editions/manifesto/witnesses")).json()) as {
      siglum: string;
      date: string;
    }[];
    expect(register.find((w) => w.siglum === "ICC")?.date).toBe("2010 (online)");
    const empty = await json(s, s.token("editor"), "PATCH", "/api/editions/manifesto", { title: " " });
    expect(empty.status).toBe(400);
    const refused = await json(s, s.token("reviewer"), "PATCH", "/api/editions/manifesto", { title: "Mine" });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe(
      'reviewer-of-manifesto is a reviewer of edition "manifesto" and may not edit it',
    );
    expect(s.db.getEdition("manifesto")?.title).toBe("The Manifesto of 1923");
  });

  it("deletes an edition with its documents, changes, versions, members and invitations, and nothing else", async () => {
    const s = await cleanup.server();
    const ada = s.userToken("Ada", "editor");
    for (const id of ["a", "ab"]) {
      expect((await upload(s, ada, "create", { id, filename: "l.txt" }, LETTER)).status).toBe(201);
      expect((await json(s, ada, "POST", `/api/editions/${id}/versions`, { label: "first" })).status).toBe(
        201,
      );
      expect((await json(s, ada, "PATCH", `/api/editions/${id}`, { title: `Letter ${id}` })).status).toBe(
        200,
      );
      expect((await json(s, ada, "POST", `/api/editions/${id}/invites`, { role: "reader" })).status).toBe(
        201,
      );
      s.userToken(`Rita-${id}`, "reviewer", id);
    }
    // A witness's own document belongs to the edition too.
    expect(s.db.createDocument("a/witness/X", Y.encodeStateAsUpdate(new Y.Doc()))).toBe(true);
    const others = ["ab", "manifesto"];
    const stateOf = (id: string) => ({
      edition: s.db.getEdition(id),
      documents: s.db.editionDocuments(id),
      changes: s.db.changes(id, 1000),
      versions: s.db.versions.list(id),
      members: s.db.accounts.members(id).map((m) => [m.user.name, m.role]),
      invites: s.db.accounts.listInvites(id).map((t) => t.id),
      updates: s.db.load(id).updates.map((u) => Buffer.from(u).toString("base64")),
    });
    const before = others.map(stateOf);
    expect(s.db.changes("a").length).toBeGreaterThan(0);

    const unconfirmed = await json(s, ada, "DELETE", "/api/editions/a", { confirm: "ab" });
    expect(unconfirmed.status).toBe(400);
    expect(((await unconfirmed.json()) as { error: string }).error).toContain('type its id "a" to confirm');
    const byReviewer = await json(s, s.userToken("Rita-a", "reviewer", "a"), "DELETE", "/api/editions/a", {
      confirm: "a",
    });
    expect(byReviewer.status).toBe(403);
    expect(((await byReviewer.json()) as { error: string }).error).toBe(
      'Rita-a is a reviewer of edition "a" and may not manage it',
    );
    expect(s.db.getEdition("a")).not.toBeNull();

    const deleted = await json(s, ada, "DELETE", "/api/editions/a", { confirm: "a" });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ deleted: "a", documents: ["a", "a/witness/X"] });
    expect(s.db.getEdition("a")).toBeNull();
    expect(s.db.hasDocument("a")).toBe(false);
    expect(s.db.hasDocument("a/witness/X")).toBe(false);
    expect(s.db.changes("a")).toEqual([]);
    expect(s.db.versions.list("a")).toEqual([]);
    expect(s.db.accounts.members("a")).toEqual([]);
    expect(s.db.accounts.listInvites("a")).toEqual([]);
    expect(others.map(stateOf)).toEqual(before);
    expect((await s.get("/api/editions/a", "owner")).status).toBe(404);
  });

  it("closes the websockets of a deleted edition and stores nothing they send after", async () => {
    const s = await cleanup.server();
    const ada = s.userToken("Ada", "editor");
    expect((await upload(s, ada, "create", { id: "gone", filename: "l.txt" }, LETTER)).status).toBe(201);
    const { WebSocket } = await import("ws");
    const ws = new WebSocket(`${s.wsUrl}/gone?token=${ada}`);
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    expect((await json(s, ada, "DELETE", "/api/editions/gone", { confirm: "gone" })).status).toBe(200);
    const { code, reason } = await closed;
    expect([4404, 4403]).toContain(code);
    expect(reason).toContain('"gone"');
    expect(s.db.hasDocument("gone")).toBe(false);
  });

  it("serves the settings page to editors, with the delete section for owners only", async () => {
    const s = await cleanup.server();
    const editorPage = await (await s.get("/editions/manifesto/settings", "editor")).text();
    expect(editorPage).toContain("Provenance of the base text");
    expect(editorPage).not.toContain("Delete this edition");
    const ownerPage = await (await s.get("/editions/manifesto/settings", "owner")).text();
    expect(ownerPage).toContain("Delete this edition");
    expect(ownerPage).toContain('href="/api/editions/manifesto/tei"');
    const refused = await s.get("/editions/manifesto/settings", "reviewer");
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("reviewer-of-manifesto is a reviewer of edition");
  });
});

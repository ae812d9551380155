import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { decide } from "../../schema/apparatus.ts";
import { createThread } from "../../schema/comments.ts";
import { createGlossaryEntry } from "../../schema/glossary.ts";
import type { Role } from "../../server/accountStore.ts";
import { CloseCode } from "../../server/closeCodes.ts";
import { forgeUpdate, upgradeStatus } from "../helpers/rawClient.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

type Who = Role | "outsider" | "anonymous";
const EVERYONE: Who[] = ["owner", "editor", "reviewer", "reader", "outsider", "anonymous"];

/** The changes a client can try over the websocket, and who may make each. */
const WRITES: { name: string; change: (doc: Y.Doc) => void; allowed: Role[] }[] = [
  {
    name: "type into the text",
    change: (doc) =>
      ((doc.getXmlFragment("body").get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, "FORGED "),
    allowed: ["owner", "editor"],
  },
  {
    name: "edit the glossary",
    change: (doc) =>
      createGlossaryEntry(doc, {
        id: "gl-forged",
        kind: "term",
        headword: "Forged",
        forms: [],
        definition: "",
        wikidata: "",
        viaf: "",
        source: "",
      }),
    allowed: ["owner", "editor"],
  },
  {
    name: "delete a glossary entry",
    // Whichever entry is still there: an earlier allowed role may have deleted the first one.
    change: (doc) => doc.getMap("glossary").delete([...doc.getMap("glossary").keys()].sort()[0] as string),
    allowed: ["owner", "editor"],
  },
  {
    name: "decide on a variant",
    change: (doc) => decide(doc, "app-ru-1", { status: "rejected" }, "x", 1),
    allowed: ["owner", "editor", "reviewer"],
  },
  {
    name: "comment",
    change: (doc) => createThread(doc, "c-forged", { kind: "entry", app: "app-ru-1" }, "x", "a comment", 1),
    allowed: ["owner", "editor", "reviewer"],
  },
  {
    name: "rename the edition (a key of meta editors may change)",
    change: (doc) => doc.getMap("meta").set("title", `Renamed ${Math.random()}`),
    allowed: ["owner", "editor"],
  },
  {
    name: "print proposed readings (the owner's publication setting in meta)",
    change: (doc) =>
      doc
        .getMap("meta")
        .set("publication", { includeProposed: Math.random() < 2, lineNumbering: "document" }),
    allowed: ["owner"],
  },
];

/** HTTP operations and who may perform each (on the unpublished Manifesto). */
const REQUESTS: {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  allowed: Role[];
  ok: number;
}[] = [
  {
    name: "read the TEI export",
    method: "GET",
    path: "/api/editions/manifesto/tei",
    allowed: ["owner", "editor", "reviewer", "reader"],
    ok: 200,
  },
  {
    name: "read a witness",
    method: "GET",
    path: "/api/editions/manifesto/witnesses/ICC",
    allowed: ["owner", "editor", "reviewer", "reader"],
    ok: 200,
  },
  {
    name: "open the workbench page",
    method: "GET",
    path: "/editions/manifesto",
    allowed: ["owner", "editor", "reviewer", "reader"],
    ok: 200,
  },
  {
    name: "list the history",
    method: "GET",
    path: "/api/editions/manifesto/versions",
    allowed: ["owner", "editor", "reviewer", "reader"],
    ok: 200,
  },
  {
    name: "name a version",
    method: "POST",
    path: "/api/editions/manifesto/versions",
    body: { label: "v" },
    allowed: ["owner", "editor"],
    ok: 201,
  },
  {
    name: "list the members",
    method: "GET",
    path: "/api/editions/manifesto/members",
    allowed: ["owner"],
    ok: 200,
  },
  {
    name: "invite someone",
    method: "POST",
    path: "/api/editions/manifesto/invites",
    body: { role: "reader" },
    allowed: ["owner"],
    ok: 201,
  },
  {
    name: "set a role",
    method: "PUT",
    path: "/api/editions/manifesto/members/reader-of-manifesto",
    body: { role: "reader" },
    allowed: ["owner"],
    ok: 200,
  },
];

describe("who may do what, enforced by the server", () => {
  let server: TestServer;
  let outsiderToken: string;
  beforeAll(async () => {
    server = await startTestServer({ rateLimits: { connectionsPerMinute: 10_000 } });
    // Someone with an account, but no role in the Manifesto.
    outsiderToken = server.userToken("outsider", "reader");
    server.db.accounts.setRole(server.db.accounts.getUserByName("outsider")?.id ?? 0, "manifesto", null);
  });
  afterAll(async () => {
    await server.dispose();
  });

  const token = (who: Who) =>
    who === "anonymous" ? null : who === "outsider" ? outsiderToken : server.token(who);
  const wsUrl = (who: Who) => `${server.wsUrl}/manifesto${token(who) ? `?token=${token(who)}` : ""}`;
  const live = () => {
    return server.opened("manifesto").ydoc;
  };

  it("lets members open the websocket, and refuses the others before the upgrade (401, 403)", async () => {
    const statuses = await Promise.all(EVERYONE.map((who) => upgradeStatus(wsUrl(who))));
    expect(Object.fromEntries(EVERYONE.map((who, i) => [who, statuses[i]]))).toEqual({
      owner: 101,
      editor: 101,
      reviewer: 101,
      reader: 101,
      outsider: 403,
      anonymous: 401,
    });
  });

  for (const write of WRITES) {
    for (const who of ["owner", "editor", "reviewer", "reader"] as Role[]) {
      const allowed = write.allowed.includes(who);
      it(`${allowed ? "accepts" : "refuses"} a ${who}'s update that would ${write.name}${allowed ? "" : "; the document is unchanged and the connection is told why"}`, async () => {
        const before = Y.encodeStateAsUpdate(live());
        const result = await forgeUpdate(wsUrl(who), write.change);
        if (allowed) {
          expect(result.closed).toBeNull();
          expect(Y.encodeStateAsUpdate(live())).not.toEqual(before);
        } else {
          expect(result.closed?.code).toBe(CloseCode.forbidden);
          expect(result.closed?.reason).toMatch(/refused, the document is unchanged/);
          expect(result.denied).toMatch(/this connection may change (nothing|.+); the update touches/);
          expect(Y.encodeStateAsUpdate(live())).toEqual(before);
        }
      });
    }
  }

  for (const req of REQUESTS) {
    it(`lets only ${req.allowed.join(", ")} ${req.name} over HTTP (others get 401 or 403 with a message)`, async () => {
      const results: Record<string, number> = {};
      for (const who of EVERYONE) {
        const t = token(who);
        const res = await fetch(`${server.url}${req.path}`, {
          method: req.method,
          headers: {
            ...(t ? { authorization: `Bearer ${t}` } : {}),
            ...(req.body ? { "content-type": "application/json" } : {}),
          },
          body: req.body ? JSON.stringify(req.body) : undefined,
        });
        results[who] = res.status;
        if (res.status === 401 || res.status === 403) {
          const text = await res.text();
          expect(text, `${who} ${req.name}`).toMatch(/sign in|may not|not a member/);
        }
      }
      const expected = Object.fromEntries(
        EVERYONE.map((who) => [
          who,
          req.allowed.includes(who as Role) ? req.ok : who === "anonymous" ? 401 : 403,
        ]),
      );
      expect(results).toEqual(expected);
    });
  }

  it("opens a published edition to anonymous readers, read-only", async () => {
    const owner = server.token("owner");
    const publish = await fetch(`${server.url}/api/editions/manifesto/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${owner}`, "content-type": "application/json" },
      body: JSON.stringify({ published: true }),
    });
    expect(publish.status).toBe(200);
    expect((await fetch(`${server.url}/api/editions/manifesto/tei`)).status).toBe(200);
    const before = Y.encodeStateAsUpdate(live());
    const forged = await forgeUpdate(wsUrl("anonymous"), WRITES[0]?.change as (d: Y.Doc) => void);
    expect(forged.closed?.code).toBe(CloseCode.forbidden);
    expect(Y.encodeStateAsUpdate(live())).toEqual(before);
    await fetch(`${server.url}/api/editions/manifesto/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${owner}`, "content-type": "application/json" },
      body: JSON.stringify({ published: false }),
    });
    expect((await fetch(`${server.url}/api/editions/manifesto/tei`)).status).toBe(401);
  });

  it("stops honouring a token once it is revoked", async () => {
    const t = server.userToken("temp", "editor");
    expect(
      (await fetch(`${server.url}/api/editions/manifesto/tei`, { headers: { authorization: `Bearer ${t}` } }))
        .status,
    ).toBe(200);
    const found = server.db.accounts.findToken(t, ["api"]);
    server.db.accounts.revokeToken(found?.id ?? 0);
    expect(
      (await fetch(`${server.url}/api/editions/manifesto/tei`, { headers: { authorization: `Bearer ${t}` } }))
        .status,
    ).toBe(401);
    expect(await upgradeStatus(`${server.wsUrl}/manifesto?token=${t}`)).toBe(401);
  });
});

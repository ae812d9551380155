import { rmSync } from "node:fs";
import pg from "pg";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { hashToken, type TokenKind, type TokenRecord } from "../../server/accountStore.ts";
import type { AsyncStore } from "../../server/store/asyncStore.ts";
import { openPostgresStore } from "../../server/store/postgres.ts";
import { tempDir } from "../helpers/server.ts";
import { storeKinds, withStore as withKind } from "../helpers/storeKinds.ts";

const { kinds: KINDS, postgres: running } = storeKinds();
const empty = Y.encodeStateAsUpdate(new Y.Doc());

/** A token's fields that a test does not care about, filled in. */
const tokenOf = (t: Partial<Omit<TokenRecord, "id" | "createdAt" | "revoked">> & { kind: TokenKind }) => ({
  userId: null,
  editionId: null,
  role: null,
  label: "",
  expiresAt: null,
  ...t,
});

describe.each(KINDS)("the $name store's accounts", (kind) => {
  const withStore = (test: (store: AsyncStore) => Promise<void>) =>
    withKind(kind, ({ store }) => test(store));

  it(
    "creates users whose sign-in names are unique whatever their case, and finds them by either name",
    withStore(async ({ accounts }) => {
      expect(await accounts.countUsers()).toBe(0);
      const anna = await accounts.createUser("Anna", "argon2-hash", true);
      expect(anna).toMatchObject({ name: "Anna", displayName: "Anna", admin: true });
      expect(anna.createdAt).toBeGreaterThan(Date.now() - 60_000);
      await expect(accounts.createUser("anna", null, false)).rejects.toThrow();
      await expect(accounts.createUser("ANNA", null, false)).rejects.toThrow();
      const boris = await accounts.createUser("boris", null, false);
      expect(boris.admin).toBe(false);
      expect(boris.id).not.toBe(anna.id);
      expect(await accounts.countUsers()).toBe(2);
      expect(await accounts.getUser(anna.id)).toEqual(anna);
      expect(await accounts.getUser(anna.id + boris.id + 100)).toBeNull();
      expect(await accounts.getUserByName("aNNA")).toEqual({ ...anna, passwordHash: "argon2-hash" });
      expect(await accounts.getUserByName("clara")).toBeNull();
      await accounts.setPassword(anna.id, "another-hash");
      expect((await accounts.getUserByName("anna"))?.passwordHash).toBe("another-hash");
      await accounts.setDisplayName(boris.id, "Boris K.");
      expect((await accounts.getUser(boris.id))?.displayName).toBe("Boris K.");
      expect((await accounts.findUserByAnyName("boris k."))?.id).toBe(boris.id);
      expect((await accounts.findUserByAnyName("BORIS"))?.id).toBe(boris.id);
      expect(await accounts.findUserByAnyName("Clara")).toBeNull();
      await accounts.setDisplayName(boris.id, null);
      expect((await accounts.getUser(boris.id))?.displayName).toBe("boris");
      expect(await accounts.findUserByAnyName("Boris K.")).toBeNull();
    }),
  );

  it(
    "sets, lowers and removes a role per edition, and lists an edition's members by name whatever its case",
    withStore(async ({ accounts }) => {
      const boris = await accounts.createUser("Boris", null, false);
      const anna = await accounts.createUser("anna", null, false);
      const clara = await accounts.createUser("clara", null, false);
      await accounts.setRole(boris.id, "e", "owner");
      await accounts.setRole(anna.id, "e", "editor");
      await accounts.setRole(clara.id, "e", "reviewer");
      await accounts.setRole(anna.id, "other", "reader");
      expect(await accounts.getRole(anna.id, "e")).toBe("editor");
      expect((await accounts.members("e")).map((m) => [m.user.name, m.role])).toEqual([
        ["anna", "editor"],
        ["Boris", "owner"],
        ["clara", "reviewer"],
      ]);
      await accounts.setRole(anna.id, "e", "reader");
      expect(await accounts.getRole(anna.id, "e")).toBe("reader");
      await accounts.setRole(clara.id, "e", null);
      expect(await accounts.getRole(clara.id, "e")).toBeNull();
      expect((await accounts.members("e")).map((m) => [m.user.name, m.role])).toEqual([
        ["anna", "reader"],
        ["Boris", "owner"],
      ]);
      expect((await accounts.members("other")).map((m) => m.user)).toEqual([anna]);
      expect(await accounts.members("none")).toEqual([]);
    }),
  );

  it(
    "finds a valid token by its clear text and kind only, and revokes one, or every one of a kind",
    withStore(async ({ accounts }) => {
      const anna = await accounts.createUser("anna", null, false);
      const clear = await accounts.createToken(tokenOf({ kind: "api", userId: anna.id, label: "laptop" }));
      expect(clear).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const found = await accounts.findToken(clear, ["session", "api"]);
      expect(found).toMatchObject({ kind: "api", userId: anna.id, label: "laptop", revoked: false });
      expect(await accounts.findToken(clear, ["session"])).toBeNull();
      expect(await accounts.findToken(`${clear}x`, ["api"])).toBeNull();
      expect(await accounts.findToken("", ["api"])).toBeNull();
      expect(await accounts.findToken(hashToken(clear), ["api"])).toBeNull();
      const stale = await accounts.createToken(
        tokenOf({ kind: "session", userId: anna.id, expiresAt: Date.now() - 1000 }),
      );
      expect(await accounts.findToken(stale, ["session"])).toBeNull();
      const id = found?.id as number;
      expect(await accounts.revokeToken(id)).toBe(true);
      expect(await accounts.revokeToken(id)).toBe(false);
      expect(await accounts.findToken(clear, ["api"])).toBeNull();
      expect(await accounts.getToken(id)).toMatchObject({ id, revoked: true, label: "laptop" });
      expect(await accounts.getToken(id + 1000)).toBeNull();
      const claims = [
        await accounts.createToken(tokenOf({ kind: "claim" })),
        await accounts.createToken(tokenOf({ kind: "claim" })),
      ];
      const session = await accounts.createToken(tokenOf({ kind: "session", userId: anna.id }));
      expect(await accounts.revokeKind("claim")).toBe(2);
      // Of two requests using a link at once, the second is told nothing was left to revoke.
      expect(await accounts.revokeKind("claim")).toBe(0);
      for (const c of claims) expect(await accounts.findToken(c, ["claim"])).toBeNull();
      expect(await accounts.findToken(session, ["session"])).not.toBeNull();
    }),
  );

  it(
    "lists a person's API tokens, revoked ones marked, and revokes their tokens of one kind except one",
    withStore(async ({ accounts }) => {
      const anna = await accounts.createUser("anna", null, false);
      const boris = await accounts.createUser("boris", null, false);
      const api = await accounts.createToken(tokenOf({ kind: "api", userId: anna.id, label: "one" }));
      await accounts.createToken(tokenOf({ kind: "api", userId: anna.id, label: "two" }));
      await accounts.createToken(tokenOf({ kind: "api", userId: boris.id, label: "boris's" }));
      const sessions = [];
      for (let i = 0; i < 3; i++)
        sessions.push(await accounts.createToken(tokenOf({ kind: "session", userId: anna.id })));
      const theirs = await accounts.createToken(tokenOf({ kind: "session", userId: boris.id }));
      const keep = (await accounts.findToken(sessions[0] as string, ["session"]))?.id as number;
      expect(await accounts.revokeUserTokens(anna.id, "session", keep)).toBe(2);
      expect(await accounts.revokeUserTokens(anna.id, "session", keep)).toBe(0);
      expect(await accounts.findToken(sessions[0] as string, ["session"])).not.toBeNull();
      expect(await accounts.findToken(sessions[1] as string, ["session"])).toBeNull();
      expect(await accounts.findToken(theirs, ["session"])).not.toBeNull();
      expect(await accounts.findToken(api, ["api"])).not.toBeNull();
      await accounts.revokeToken((await accounts.findToken(api, ["api"]))?.id as number);
      expect((await accounts.listTokens(anna.id)).map((t) => [t.label, t.revoked])).toEqual([
        ["one", true],
        ["two", false],
      ]);
      expect(await accounts.revokeUserTokens(anna.id, "session")).toBe(1);
    }),
  );

  it(
    "lists the invitations to an edition that can still be used",
    withStore(async ({ accounts }) => {
      const invite = (editionId: string, label: string, expiresAt: number | null = null) =>
        accounts.createToken(tokenOf({ kind: "invite", editionId, role: "reviewer", label, expiresAt }));
      await invite("e", "open");
      await invite("e", "lapsed", Date.now() - 1000);
      await invite("e", "until tomorrow", Date.now() + 86_400_000);
      const revoked = await invite("e", "revoked");
      await invite("other", "elsewhere");
      await accounts.revokeToken((await accounts.findToken(revoked, ["invite"]))?.id as number);
      const listed = await accounts.listInvites("e");
      expect(listed.map((t) => t.label)).toEqual(["open", "until tomorrow"]);
      expect(listed[0]).toMatchObject({ kind: "invite", editionId: "e", role: "reviewer", userId: null });
    }),
  );

  it(
    "moves the access epoch on each change of who may do what, and not on typing or signing in",
    withStore(async (store) => {
      const { accounts } = store;
      const moves = async (what: string, change: () => Promise<unknown>, moved = true) => {
        const before = await store.accessEpoch();
        await change();
        const after = await store.accessEpoch();
        expect(after > before, `${what} ${moved ? "moves" : "leaves"} the access epoch`).toBe(moved);
      };
      await store.createEdition({ id: "e", title: "E" }, "e", empty);
      const anna = await accounts.createUser("anna", null, false);
      const doc = new Y.Doc();
      doc.getText("t").insert(0, "Workers");
      await moves("an appended update", () => store.append("e", Y.encodeStateAsUpdate(doc), "anna"), false);
      await moves("a title", () => store.setTitle("e", "The Manifesto"), false);
      await moves("a display name", () => accounts.setDisplayName(anna.id, "Anna K."), false);
      const session = await accounts.createToken(tokenOf({ kind: "session", userId: anna.id }));
      await moves(
        "a new session",
        () => accounts.createToken(tokenOf({ kind: "session", userId: anna.id })),
        false,
      );
      await moves("a new role", () => accounts.setRole(anna.id, "e", "editor"));
      await moves("a lowered role", () => accounts.setRole(anna.id, "e", "reader"));
      await moves("a removed role", () => accounts.setRole(anna.id, "e", null));
      const id = (await accounts.findToken(session, ["session"]))?.id as number;
      await moves("a revoked token", () => accounts.revokeToken(id));
      await moves("a person's revoked sessions", () => accounts.revokeUserTokens(anna.id, "session"));
      await accounts.createToken(tokenOf({ kind: "claim" }));
      await moves("revoked claims", () => accounts.revokeKind("claim"));
      await moves("publication", () => store.setPublished("e", true));
      await moves("unpublication", () => store.setPublished("e", false));
      await moves("a deleted edition", () => store.deleteEdition("e"));
    }),
  );
});

describe("accounts in PostgreSQL shared by two servers", () => {
  it("keep tokens only as accountStore's hashes, and one server's change of access moves the other's epoch", async () => {
    const url = await running().database("accounts-shared");
    const mediaDir = tempDir("variorum-media-");
    const a = await openPostgresStore(url, { mediaDir });
    const b = await openPostgresStore(url, { mediaDir });
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const anna = await a.accounts.createUser("anna", null, false);
      const clear = await a.accounts.createToken(tokenOf({ kind: "api", userId: anna.id, label: "laptop" }));
      const { rows } = await db.query<{ hash: string; label: string }>("SELECT * FROM tokens");
      expect(rows.map((r) => r.hash)).toEqual([hashToken(clear)]);
      expect(JSON.stringify(rows)).not.toContain(clear);
      expect((await b.accounts.findToken(clear, ["api"]))?.userId).toBe(anna.id);
      const before = await b.accessEpoch();
      await a.accounts.setRole(anna.id, "e", "editor");
      expect(await b.accessEpoch()).toBeGreaterThan(before);
      expect(await b.accounts.getRole(anna.id, "e")).toBe("editor");
    } finally {
      await db.end();
      await a.close();
      await b.close();
      rmSync(mediaDir, { recursive: true, force: true });
    }
  }, 60_000);
});

import { execFile } from "node:child_process";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { ROOT } from "../helpers/paths.ts";
import { type RawPeer, rawPeer } from "../helpers/rawClient.ts";
import { tempDir, until } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";

const exec = promisify(execFile);
const { server, add } = cleanupAfterEach();

/** `npx variorum …` as a separate process on a data folder; resolves with its exit code and output. */
async function variorum(dataDir: string, ...args: string[]) {
  try {
    const out = await exec(process.execPath, [join(ROOT, "bin/variorum.mjs"), ...args], {
      cwd: ROOT,
      env: { ...process.env, VARIORUM_DATA: dataDir },
    });
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The typists' markers a document holds, by client: `[c3-17]` is client 3's 18th update. */
function markers(doc: Y.Doc): Map<number, number[]> {
  const found = new Map<number, number[]>();
  for (const m of doc
    .getXmlFragment("body")
    .toString()
    .matchAll(/\[c(\d)-(\d+)\]/g)) {
    const list = found.get(Number(m[1])) ?? [];
    list.push(Number(m[2]));
    found.set(Number(m[1]), list);
  }
  for (const list of found.values()) list.sort((a, b) => a - b);
  return found;
}

const typeAtStart = (text: string) => (doc: Y.Doc) =>
  ((doc.getXmlFragment("body").get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, text);

function dir(): string {
  const d = tempDir();
  add(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

describe("backup and restore", () => {
  it("backs up while five clients type; the restored store serves every update acknowledged before the backup", async () => {
    const dataDir = dir();
    const s = await server({ dataDir, compactEvery: 200 });
    const observer = await rawPeer(`${s.wsUrl}/manifesto?token=${s.token("owner")}`);
    add(() => observer.ws.close());
    const typists: RawPeer[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await rawPeer(`${s.wsUrl}/manifesto?token=${s.userToken(`typist-${i}`, "editor")}`);
      add(() => p.ws.close());
      typists.push(p);
    }
    const sent = [0, 0, 0, 0, 0];
    let typing = true;
    const loops = typists.map(async (p, i) => {
      while (typing) {
        p.change(typeAtStart(`[c${i}-${sent[i]}] `));
        sent[i] = (sent[i] as number) + 1;
        await new Promise((r) => setTimeout(r, 25));
      }
    });
    await until(() => (markers(observer.doc).get(4)?.length ?? 0) > 20, "the typists to get going");

    // Acknowledged: another client has received it, which the server does only after storing it.
    const acknowledgedBefore = markers(observer.doc);
    const file = join(dir(), "variorum-backup.db");
    const backup = await variorum(dataDir, "backup", file);
    const acknowledgedAfter = markers(observer.doc);
    typing = false;
    await Promise.all(loops);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/backed up .* to .*variorum-backup\.db: \d+ bytes, schema version \d+/);
    const typedDuringBackup =
      [...acknowledgedAfter.values()].flat().length - [...acknowledgedBefore.values()].flat().length;
    expect(typedDuringBackup, "the clients typed while the backup ran").toBeGreaterThan(10);

    // Another backup to the same file is refused: nothing is overwritten.
    const again = await variorum(dataDir, "backup", file);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists already/);

    const restoredDir = join(dir(), "restored");
    const restore = await variorum(restoredDir, "restore", file);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/restored .* into .*restored: schema version \d+, 1 edition/);

    const r = await server({ dataDir: restoredDir });
    const reader = await rawPeer(`${r.wsUrl}/manifesto?token=${r.token("owner")}`);
    add(() => reader.ws.close());
    const restored = markers(reader.doc);
    for (let i = 0; i < 5; i++) {
      const before = acknowledgedBefore.get(i) ?? [];
      const got = restored.get(i) ?? [];
      // Every update acknowledged before the backup began is there…
      expect(got.slice(0, before.length), `client ${i}`).toEqual(before);
      // …and what follows is an unbroken run of that client's updates, none beyond what was sent.
      expect(got, `client ${i}`).toEqual(got.map((_, k) => k));
      expect(got.length).toBeLessThanOrEqual(sent[i] as number);
    }
    expect(await r.documents.with("manifesto", (d) => d.ydoc.getXmlFragment("body").length)).toBe(
      observer.doc.getXmlFragment("body").length,
    );
  });

  it("refuses to restore over the store of a running server, and says why", async () => {
    const dataDir = dir();
    const s = await server({ dataDir });
    const owner = await rawPeer(`${s.wsUrl}/manifesto?token=${s.token("owner")}`);
    add(() => owner.ws.close());
    const file = join(dir(), "backup.db");
    expect((await variorum(dataDir, "backup", file)).code).toBe(0);
    owner.change(typeAtStart("[written after the backup] "));
    await until(
      async () =>
        (await s.documents.with("manifesto", (d) =>
          d.ydoc.getXmlFragment("body").toString().includes("[written after"),
        )) === true,
      "the change to arrive",
    );

    const refused = await variorum(dataDir, "restore", file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `a server is running on ${dataDir} \\(process ${process.pid} .*stop it first.*nothing was changed`,
      ),
    );
    expect(readdirSync(dataDir).some((f) => f.includes("before-restore"))).toBe(false);

    // Stopped, the same restore goes through and keeps the store it replaces.
    await s.close();
    const done = await variorum(dataDir, "restore", file);
    expect(done.code, done.stderr).toBe(0);
    const kept = /kept as (\S+)/.exec(done.stdout)?.[1] as string;
    expect(existsSync(kept)).toBe(true);
    const r = await server({ dataDir });
    const text = (await r.documents.with("manifesto", (d) => d.ydoc.getXmlFragment("body").toString())) ?? "";
    expect(text).not.toContain("[written after the backup]");
  });

  it("refuses to restore a file that is not a Variorum store", async () => {
    const dataDir = dir();
    const notAStore = join(dataDir, "notes.txt");
    writeFileSync(notAStore, "just some notes\n".repeat(200));
    const refused = await variorum(join(dataDir, "data"), "restore", notAStore);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/notes\.txt is not an SQLite database|cannot be opened as SQLite/);
    expect(existsSync(join(dataDir, "data", "variorum.db"))).toBe(false);
  });
});

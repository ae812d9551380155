import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOTS } from "../../schema/layout.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { memoryLog } from "../../server/log.ts";
import { type RunningServer, startServer } from "../../server/server.ts";
import { openPostgresStore } from "../../server/store/postgres.ts";
import { STORE_FILE } from "../../server/store.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { EDITIONS, ROOT } from "../helpers/paths.ts";
import { startPostgres, type TestPostgres } from "../helpers/postgres.ts";
import { closed, nodeClient, rawSocket, synced, tempDir, until } from "../helpers/server.ts";
import { syntheticWitnessFile } from "../helpers/synthetic.ts";
import { jingErrors } from "../helpers/tei.ts";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npx variorum …` for real in a process of its own, with the environment given; asynchronously, so
 * that a server running in this process goes on serving meanwhile.
 */
function variorum(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/variorum.mjs"), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += String(d);
    });
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("npx variorum on a PostgreSQL store (VARIORUM_DATABASE_URL)", () => {
  let postgres: TestPostgres;
  let databaseUrl: string;
  const dataDir = tempDir();
  const cli = (...args: string[]) =>
    variorum({ VARIORUM_DATA: dataDir, VARIORUM_DATABASE_URL: databaseUrl }, ...args);
  const start = () => startServer({ port: 0, dataDir, databaseUrl, editionsDir: EDITIONS, log: memoryLog() });
  let server: RunningServer | undefined;

  beforeAll(async () => {
    postgres = await startPostgres();
    databaseUrl = await postgres.database("cli");
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists the edition it seeds into the database, and writes no SQLite file", async () => {
    const run = await cli("editions");
    expect(run.status, run.stderr).toBe(0);
    const store = await openPostgresStore(databaseUrl, { mediaDir: join(dataDir, "media") });
    try {
      const manifesto = await store.getEdition("manifesto");
      expect(manifesto, "seeded into PostgreSQL by the command line").not.toBeNull();
      expect(run.stdout).toContain(`manifesto\tunpublished\t${manifesto?.title}\n`);
    } finally {
      await store.close();
    }
    expect(existsSync(join(dataDir, STORE_FILE))).toBe(false);
  });

  it("adds a person whose token a server on the same database accepts, and revokes it under that server's socket with 4403", async () => {
    const add = await cli("user", "add", "Olga", "--edition", "manifesto", "--role", "editor");
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toContain("Olga is editor of manifesto");
    const token = add.stdout.trim().split(/\s+/).at(-1) as string;
    server = await start();
    const url = `ws://127.0.0.1:${server.port}/sync/manifesto`;
    await expect(rawSocket(`${url}?token=not-a-token`), "an unknown token is refused").rejects.toThrow();
    const ws = await rawSocket(`${url}?token=${token}`);
    const end = closed(ws);
    const revoke = await cli("user", "revoke", token);
    expect(revoke.status, revoke.stderr).toBe(0);
    expect(revoke.stdout).toMatch(/^revoked api token \d+/);
    const { code } = await end;
    expect(code).toBe(4403);
    await expect(rawSocket(`${url}?token=${token}`), "the revoked token opens nothing").rejects.toThrow();
    const again = await cli("user", "revoke", token);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("no valid token matches");
  });

  it("imports a witness that the running server's clients receive", async () => {
    if (!server) server = await start();
    const add = await cli("user", "add", "Pyotr", "--edition", "manifesto", "--role", "editor");
    const token = add.stdout.trim().split(/\s+/).at(-1) as string;
    const client = nodeClient(`ws://127.0.0.1:${server.port}/sync`, "manifesto", { token });
    try {
      await synced(client.provider);
      expect(client.doc.getMap(ROOTS.witnesses).has("SYN")).toBe(false);
      const icc = witnessText(manifestoDoc(), "ICC");
      if (!icc.ok) throw new Error(icc.reason);
      const file = syntheticWitnessFile(icc.text, dataDir, "tests/server/cli-postgres.test.ts");
      const run = await cli("witness", "add", "manifesto", "SYN", file);
      expect(run.status, run.stderr).toBe(0);
      await until(() => client.doc.getMap(ROOTS.witnesses).has("SYN"), "the witness to reach the client");
    } finally {
      client.provider.destroy();
    }
  });

  it("exports TEI that validates against tei_all, with the edition's title", async () => {
    const file = join(dataDir, "manifesto.xml");
    const run = await cli("export", "tei", "manifesto", file);
    expect(run.status, run.stderr).toBe(0);
    const xml = readFileSync(file, "utf8");
    const title = (await server?.store.getEdition("manifesto"))?.title as string;
    expect(xml).toContain("<TEI");
    expect(xml).toContain(title);
    expect(xml, "the witness the command line imported").toContain('xml:id="SYN"');
    expect(jingErrors(xml)).toEqual([]);
  });

  it("imports a TEI file as a new edition in the database", async () => {
    const run = await cli(
      "import",
      "tei",
      join(ROOT, "tests/fixtures/tei/stylesheets-testnotes1.xml"),
      "notes",
    );
    expect(run.status, run.stderr).toBe(0);
    expect((await server?.store.getEdition("notes"))?.title).toBe("The title");
    expect((await cli("editions")).stdout).toContain("notes\tunpublished\tThe title\n");
  });

  it("refuses backup and restore, which copy a SQLite file, naming pg_dump instead", async () => {
    const target = join(dataDir, "backup.db");
    const backup = await cli("backup", target);
    expect(backup.status).toBe(1);
    expect(backup.stderr).toContain("backup of a PostgreSQL store: use pg_dump");
    expect(existsSync(target)).toBe(false);
    const restore = await cli("restore", target);
    expect(restore.status).toBe(1);
    expect(restore.stderr).toContain("restore of a PostgreSQL store: use pg_restore");
  });

  it("refuses a VARIORUM_DATABASE_URL that is not PostgreSQL's, as the server does", async () => {
    const run = await variorum(
      { VARIORUM_DATA: dataDir, VARIORUM_DATABASE_URL: "mysql://localhost/variorum" },
      "editions",
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("VARIORUM_DATABASE_URL: only postgres:// URLs are supported, not mysql://");
  });
});

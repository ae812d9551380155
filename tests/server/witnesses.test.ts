import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { readEntry } from "../../schema/apparatus.ts";
import { ROOTS } from "../../schema/layout.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { openSqliteStore } from "../../server/store.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { ROOT } from "../helpers/paths.ts";
import { tempDir } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/suite.ts";
import { syntheticWitnessFile } from "../helpers/synthetic.ts";

const cleanup = cleanupAfterEach();

/** The shared synthetic test witness, written into `dir`. */
function syntheticWitness(dir: string): string {
  const icc = witnessText(manifestoDoc(), "ICC");
  if (!icc.ok) throw new Error(icc.reason);
  return syntheticWitnessFile(icc.text, dir, "tests/server/witnesses.test.ts");
}

describe("witnesses on the server", () => {
  it("takes a witness the command line imports while the server runs, and keeps it through compaction", async () => {
    const dataDir = tempDir();
    cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await cleanup.server({ dataDir });
    const live = await server.documents.get("manifesto");
    if (!live) throw new Error("no document");
    const run = spawnSync(
      process.execPath,
      [join(ROOT, "bin/variorum.mjs"), "witness", "add", "manifesto", "SYN", syntheticWitness(dataDir)],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, VARIORUM_DATA: dataDir },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/imported SYN \("Synthetic test witness", 2 blocks\) into manifesto/);
    const list = (await (await server.get("/api/editions/manifesto/witnesses")).json()) as {
      siglum: string;
    }[];
    expect(list.map((w) => w.siglum)).toContain("SYN");
    await live.compact();
    await server.close();
    const store = openSqliteStore(dataDir);
    const doc = new Y.Doc();
    for (const u of store.load("manifesto").updates) Y.applyUpdate(doc, u);
    store.close();
    expect(doc.getMap(ROOTS.witnesses).has("SYN")).toBe(true);
  });

  it("collates with the normalisation asked for: spelling ignored gives an orthographic variant, not ignored a substantive one", async () => {
    const server = await cleanup.server();
    const dir = tempDir();
    cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
    const auth = { authorization: `Bearer ${server.token("editor")}` };
    const imported = await fetch(
      `${server.url}/api/editions/manifesto/witnesses/SYN?filename=synthetic.txt`,
      {
        method: "POST",
        headers: { ...auth, "content-type": "application/octet-stream" },
        body: new Blob([readFileSync(syntheticWitness(dir))]),
      },
    );
    expect(imported.status).toBe(201);
    const typeOfCivilized = async (ignore: string[]) => {
      const res = await fetch(`${server.url}/api/editions/manifesto/witnesses/SYN/collate`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ ignore }),
      });
      expect(res.status).toBe(200);
      const doc = (await server.documents.get("manifesto"))?.ydoc as Y.Doc;
      const id = [...doc.getMap(ROOTS.apparatus).keys()].find(
        (k) => readEntry(doc, k)?.readings.SYN?.text === "civilized",
      );
      return id ? readEntry(doc, id)?.type : null;
    };
    expect(await typeOfCivilized(["case", "quotes", "punctuation", "spelling"])).toBe("orthographic");
    expect(await typeOfCivilized([])).toBe("substantive");
  });
});

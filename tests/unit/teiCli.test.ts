import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runVariorum } from "../helpers/cli.ts";
import { ROOT } from "../helpers/paths.ts";

const dir = mkdtempSync(join(tmpdir(), "variorum-tei-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const variorum = (...args: string[]) => runVariorum(join(dir, "data"), ...args);

describe("npx variorum import tei", () => {
  it("imports a real TEI file and prints the grouped report with a tally of kept, converted and dropped", () => {
    const run = variorum(
      "import",
      "tei",
      join(ROOT, "tests/fixtures/tei/stylesheets-testnotes1.xml"),
      "notes",
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      '@place on <note>: 9 attributes, dropped: not represented; 7 values: "margin", "display", "inline", "end", "marginLeft", "marginOuter", "marginRight"',
    );
    expect(run.stdout).toMatch(
      /^imported "The title" as edition notes: \d+ kept, \d+ converted, \d+ dropped \(15 kind\(s\) listed above\)\n$/,
    );
  });

  it("refuses a file that is not UTF-8, saying where, and creates nothing", () => {
    const file = join(dir, "latin1.xml");
    const xml = readFileSync(join(ROOT, "tests/fixtures/tei/stylesheets-testapp.xml"));
    const bad = Buffer.from(xml);
    bad[bad.indexOf(0xc3)] = 0xe8; // the è of "Mystères" as Latin-1
    writeFileSync(file, bad);
    const run = variorum("import", "tei", file, "latin");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /latin1\.xml: the file is not valid UTF-8: the bytes at offset \d+ \(line 12\)/,
    );
    expect(
      variorum("import", "tei", join(ROOT, "tests/fixtures/tei/stylesheets-testapp.xml"), "latin").status,
    ).toBe(0);
  });
});

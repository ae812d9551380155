import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runVariorum } from "../helpers/cli.ts";
import { makePng } from "../helpers/images.ts";

const dir = mkdtempSync(join(tmpdir(), "variorum-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const variorum = (...args: string[]) => runVariorum(join(dir, "data"), ...args);

describe("npx variorum", () => {
  it("collates two files and prints the variants as JSON with offsets into each file", () => {
    const base = join(dir, "base.txt");
    const witness = join(dir, "witness.txt");
    writeFileSync(
      base,
      "Title: T\nPublication: P\nDate: D\nAddress: A\n---\nThe quick brown fox jumps over the lazy dog.\n",
    );
    writeFileSync(witness, "The quick red fox jumps over the dog.\n");
    const run = variorum("collate", base, witness, "--json");
    expect(run.status, run.stderr).toBe(0);
    const variants = JSON.parse(run.stdout) as {
      type: string;
      base: { start: number; end: number; text: string };
    }[];
    expect(variants.map((v) => [v.type, v.base.text])).toEqual([
      ["substitution", "brown"],
      ["omission", "lazy"],
    ]);
    const text = readFileSync(base, "utf8");
    for (const v of variants) expect(text.slice(v.base.start, v.base.end)).toBe(v.base.text);
  });

  it("refuses a file that is not UTF-8 or is empty, saying which", () => {
    const bad = join(dir, "latin1.txt");
    writeFileSync(bad, Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const empty = join(dir, "empty.txt");
    writeFileSync(empty, "");
    expect(variorum("collate", bad, bad).stderr).toMatch(/latin1\.txt is not UTF-8 text/);
    expect(variorum("collate", empty, empty).stderr).toMatch(/empty\.txt is empty/);
  });

  it("adds a person and prints a token as the last word of its output", () => {
    const run = variorum("user", "add", "rita", "--edition", "manifesto", "--role", "reviewer");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split(/\s+/).at(-1)).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(variorum("user", "add", "rita", "--edition", "manifesto", "--role", "boss").stderr).toMatch(
      /role "boss" is not one of/,
    );
  });

  it("exports the seeded edition as TEI", () => {
    const run = variorum("export", "tei", "manifesto");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<TEI xmlns="http:\/\/www.tei-c.org\/ns\/1.0">/,
    );
    expect(run.stdout.trim().endsWith("</TEI>")).toBe(true);
  });

  it("adds page images to a witness in the order given, and refuses the lot if one is not an image", () => {
    const one = join(dir, "p1.png");
    const two = join(dir, "p2.png");
    const fake = join(dir, "p3.jpg");
    writeFileSync(one, makePng(120, 160));
    writeFileSync(two, makePng(130, 170));
    writeFileSync(fake, "<html>not a scan</html>");
    const bad = variorum("pages", "add", "manifesto", "WD", one, fake);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/p3\.jpg is not a JPEG, PNG, WebP or TIFF image/);
    const run = variorum("pages", "add", "manifesto", "WD", one, two);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual([
      `page 1 of WD: ${one} (png, 120×160)`,
      `page 2 of WD: ${two} (png, 130×170)`,
    ]);
    expect(variorum("pages", "add", "manifesto", "XYZ", one).stderr).toMatch(
      /unknown witness "XYZ" in edition "manifesto"/,
    );
  });
});

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { TEI_ALL_RNG } from "./paths.ts";

/** Validates a TEI document with jing against the official tei_all schema; returns jing's error lines. */
export function jingErrors(xml: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "variorum-tei-"));
  try {
    const file = join(dir, "edition.xml");
    writeFileSync(file, xml);
    const run = spawnSync("jing", [TEI_ALL_RNG, file], { encoding: "utf8" });
    if (run.error) throw new Error(`jing could not run (apt-get install jing): ${run.error.message}`);
    const errors = run.stdout.split("\n").filter((l) => l.includes("error"));
    if (run.status !== 0 && errors.length === 0) errors.push(`jing exited with ${run.status}: ${run.stderr}`);
    return errors;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Pointers (`#id`) in @wit, @ref, @target, @resp, @corresp that name no xml:id in the document. */
export function danglingPointers(xml: string): string[] {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const ids = new Set<string>();
  const pointers: { attr: string; value: string }[] = [];
  const walk = (el: Element) => {
    const id = el.getAttribute("xml:id");
    if (id) ids.add(id);
    for (const attr of ["wit", "ref", "target", "resp", "corresp"]) {
      const value = el.getAttribute(attr);
      if (!value) continue;
      for (const token of value.split(/\s+/))
        if (token.startsWith("#")) pointers.push({ attr, value: token.slice(1) });
    }
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) walk(c as Element);
  };
  walk(doc.documentElement as Element);
  return pointers.filter((p) => !ids.has(p.value)).map((p) => `@${p.attr}="#${p.value}"`);
}

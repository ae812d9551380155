/**
 * The apparatus in TEI: an entry's readings as `rdg`s, each typed with its own decision
 * (`rdg/@type="accepted|proposed"`, `@resp` pointing at who decided), the entry's derived status in
 * `app/@subtype`; rejected readings are left out. Detached entries (their lemma deleted from the text)
 * keep their identity in `standOff/listApp[@type="detached"]`, with the lemma's words as last recorded.
 */
import type { ApparatusEntry } from "./apparatus.ts";
import { escapeXml as x } from "./escape.ts";
import type { WitnessRecord } from "./witnesses.ts";

/** What the apparatus writer needs of the export's state. */
export interface ApparatusCtx {
  base: string;
  witnesses: WitnessRecord[];
  sigla: Set<string>;
  warnings: string[];
  /** Names that need a `respStmt`, with what they are responsible for. */
  resps: Map<string, Set<string>>;
}

export function respId(resp: string): string {
  return `resp-${resp.replace(/[^A-Za-z0-9_-]+/g, "-")}`;
}

/** Registers a person responsible for something; returns the pointer to their `respStmt`. */
export function respPointer(name: string, what: string, ctx: ApparatusCtx): string {
  const roles = ctx.resps.get(name) ?? new Set<string>();
  roles.add(what);
  ctx.resps.set(name, roles);
  return `#${respId(name)}`;
}

/** The entry as the TEI carries it: without its rejected readings; null if every reading is rejected. */
export function teiEntry(entry: ApparatusEntry | null): ApparatusEntry | null {
  if (!entry || entry.status === "rejected") return null;
  const readings: ApparatusEntry["readings"] = {};
  for (const [siglum, r] of Object.entries(entry.readings))
    if (entry.decisions[siglum]?.status !== "rejected") readings[siglum] = r;
  return { ...entry, readings };
}

/** The opening of an `app`: its id, variant type and derived status. */
export function appOpen(entry: ApparatusEntry): string {
  return `<app xml:id="${x(entry.id)}" type="${entry.type}" subtype="${entry.status}">`;
}

/**
 * The witnesses that read the lemma: those the imported file gave (`lem/@wit`; one given a reading of
 * its own since leaves the list, see `setReading`); otherwise the base, and every full witness without a reading of its own.
 * Only witnesses of the register (a base the register lacks is never written as a pointer to nothing).
 */
export function lemWits(entry: ApparatusEntry, ctx: ApparatusCtx): string {
  if (entry.lemmaWitnesses) {
    const known = new Set(ctx.witnesses.map((w) => w.siglum));
    return entry.lemmaWitnesses
      .filter((s) => known.has(s))
      .map((s) => `#${s}`)
      .join(" ");
  }
  return ctx.witnesses
    .filter((w) => w.siglum === ctx.base || (w.coverage === "full" && !(w.siglum in entry.readings)))
    .map((w) => `#${w.siglum}`)
    .join(" ");
}

/** The opening of a `lem`, with its witnesses when there are any (`@wit` may not be empty). */
export function lemOpen(entry: ApparatusEntry, ctx: ApparatusCtx, empty = false): string {
  const wits = lemWits(entry, ctx);
  return `<lem${wits ? ` wit="${x(wits)}"` : ""}${empty ? "/" : ""}>`;
}

/** The readings of an entry, grouped where witnesses agree in text and decision, and its note. */
export function readings(entry: ApparatusEntry, ctx: ApparatusCtx): string {
  const groups = new Map<
    string,
    { text: string | null; status: string; by: string | null; source: boolean; sigla: string[] }
  >();
  for (const [siglum, r] of Object.entries(entry.readings).sort(([a], [b]) => a.localeCompare(b))) {
    if (!ctx.sigla.has(siglum)) {
      ctx.warnings.push(`apparatus entry ${entry.id}: unknown witness "${siglum}"; its reading is left out`);
      continue;
    }
    const d = entry.decisions[siglum] ?? { status: "proposed", by: null };
    const text = r.kind === "om" ? null : r.text;
    const source = ctx.witnesses.find((w) => w.siglum === siglum)?.kind === "source";
    const key = JSON.stringify([text, d.status, d.by, source]);
    const group = groups.get(key) ?? { text, status: d.status, by: d.by, source, sigla: [] };
    group.sigla.push(siglum);
    groups.set(key, group);
  }
  let out = "";
  for (const g of groups.values()) {
    const wit = g.sigla.map((s) => `#${s}`).join(" ");
    // A source of readings (a conjecture) is no witness: its readings point at it with @source.
    const attrs = `${g.source ? "source" : "wit"}="${x(wit)}" type="${g.status}"${g.by ? ` resp="${x(respPointer(g.by, "decisions", ctx))}"` : ""}`;
    const partial =
      !g.source && g.sigla.every((s) => ctx.witnesses.find((w) => w.siglum === s)?.coverage === "partial");
    if (g.text === null) out += `<rdg ${attrs}/>`;
    else {
      const text = x(g.text).replace(/\n/g, "<lb/>");
      out += partial ? `<rdg ${attrs}><witStart/>${text}<witEnd/></rdg>` : `<rdg ${attrs}>${text}</rdg>`;
    }
  }
  if (entry.note) out += `<note type="editorial">${x(entry.note)}</note>`;
  return out;
}

/** The sources of readings that are not witnesses (conjectures, editors), as a `listBibl` of `sourceDesc`. */
export function readingSources(witnesses: WitnessRecord[]): string[] {
  const sources = witnesses.filter((w) => w.kind === "source");
  if (sources.length === 0) return [];
  const out = ['<listBibl type="reading-sources">'];
  for (const s of sources) {
    out.push(`  <bibl xml:id="${x(s.siglum)}"><title>${x(s.title)}</title>`);
    if (s.description) out.push(`    <note type="description">${x(s.description)}</note>`);
    out.push("  </bibl>");
  }
  out.push("</listBibl>");
  return out;
}

/** The detached entries, kept whole in `standOff` (nothing is dropped because its lemma was deleted). */
export function detachedList(entries: ApparatusEntry[], ctx: ApparatusCtx): string[] {
  if (entries.length === 0) return [];
  const out = ['<listApp type="detached">'];
  out.push(
    "  <desc>Apparatus entries whose lemma was deleted from the text, kept with the words they were on.</desc>",
  );
  for (const entry of entries) {
    // Every reading is kept, rejected ones too (typed so): this record is all that is left of the entry.
    out.push(
      `  ${appOpen(entry)}${lemOpen(entry, ctx)}${x(entry.recordedLemma)}</lem>${readings(entry, ctx)}</app>`,
    );
  }
  out.push("</listApp>");
  return out;
}

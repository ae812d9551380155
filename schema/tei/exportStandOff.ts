/** TEI export of the glossary in `standOff`: people, organisations, places, and the other entries. */
import { escapeXml as x } from "../escape.ts";
import type { GlossaryKind, GlossaryRecord } from "../glossary.ts";
import { writeAuthorityIdnos } from "./authority.ts";

export function writeStandOff(glossary: GlossaryRecord[]): string[] {
  const out: string[] = [];
  const group = (kinds: GlossaryKind[]) => glossary.filter((g) => kinds.includes(g.kind));
  const idnos = writeAuthorityIdnos;
  const notes = (g: GlossaryRecord, pad: string) => [
    `${pad}<note type="definition">${x(g.definition)}</note>`,
    ...(g.source ? [`${pad}<note type="source">${x(g.source)}</note>`] : []),
  ];
  const named = (list: string, item: string, name: string, kinds: GlossaryKind[]) => {
    const entries = group(kinds);
    if (entries.length === 0) return;
    out.push(`<${list}>`);
    for (const g of entries) {
      out.push(`  <${item} xml:id="${x(g.id)}">`);
      out.push(`    <${name} type="main">${x(g.headword)}</${name}>`);
      for (const f of g.forms) out.push(`    <${name} type="variant">${x(f)}</${name}>`);
      out.push(...idnos(g, "    "), ...notes(g, "    "));
      out.push(`  </${item}>`);
    }
    out.push(`</${list}>`);
  };
  named("listPerson", "person", "persName", ["person"]);
  named("listOrg", "org", "orgName", ["organisation"]);
  named("listPlace", "place", "placeName", ["place"]);
  const terms = group(["event", "term", "publication"]);
  if (terms.length > 0) {
    out.push('<list type="glossary">');
    for (const g of terms) {
      out.push(`  <item xml:id="${x(g.id)}" n="${g.kind}">`);
      out.push(`    <term type="main">${x(g.headword)}</term>`);
      for (const f of g.forms) out.push(`    <term type="variant">${x(f)}</term>`);
      out.push(`    <gloss>${x(g.definition)}</gloss>`);
      if (g.source) out.push(`    <note type="source">${x(g.source)}</note>`);
      out.push(...idnos(g, "    "));
      out.push("  </item>");
    }
    out.push("</list>");
  }
  return out;
}

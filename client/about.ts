import type * as Y from "yjs";
import { ROOTS } from "../schema/layout.ts";
import type { Provenance } from "../schema/textformat.ts";

/** The About panel: the edition's title and the provenance of its base text, kept live. */
export function mountAbout(root: HTMLElement, ydoc: Y.Doc): void {
  const meta = ydoc.getMap<unknown>(ROOTS.meta);
  const render = () => {
    const provenance = meta.get("provenance") as Provenance | undefined;
    root.replaceChildren();
    const h = document.createElement("h2");
    h.textContent = "About this edition";
    root.append(h);
    const p = document.createElement("p");
    p.textContent = `Base text: ${String(meta.get("baseWitness") ?? "")}`;
    root.append(p);
    if (!provenance) return;
    const dl = document.createElement("dl");
    const row = (term: string, value: string, link = false) => {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      if (link && /^https?:\/\//.test(value)) {
        const a = document.createElement("a");
        a.href = value;
        a.textContent = value;
        a.rel = "noopener noreferrer";
        dd.append(a);
      } else dd.textContent = value;
      dl.append(dt, dd);
    };
    row("Title", provenance.title);
    row("Publication", provenance.publication);
    row("Date", provenance.date);
    row("Address", provenance.address, true);
    for (const [k, v] of Object.entries(provenance.extra ?? {})) row(k[0]?.toUpperCase() + k.slice(1), v);
    root.append(dl);
  };
  meta.observe(render);
  render();
}

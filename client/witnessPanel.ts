/** The witnesses panel: the register, with each witness's description and provenance. */
import { ROOTS } from "../schema/layout.ts";
import { listWitnesses } from "../schema/witnesses.ts";
import { h } from "./dom.ts";
import type { Workbench } from "./workbench.ts";

export function mountWitnessPanel(root: HTMLElement, wb: Workbench): () => void {
  const list = h("div", { className: "witness-list" });
  root.append(list);
  const render = () => {
    const base = String(wb.ydoc.getMap(ROOTS.meta).get("baseWitness") ?? "");
    list.replaceChildren(
      ...listWitnesses(wb.ydoc).map((w) =>
        h(
          "article",
          { className: "witness", "data-siglum": w.siglum },
          h(
            "h3",
            {},
            h("span", { className: "siglum" }, w.siglum),
            ` ${w.title}`,
            w.siglum === base ? h("span", { className: "badge" }, "base text") : null,
          ),
          h(
            "dl",
            {},
            ...[
              ["Publication", w.publication],
              ["Date", w.date],
              ["Language", w.language],
              ["Coverage", `${w.coverage}${w.covers ? `: ${w.covers}` : ""}`],
              ["Text held", w.hasText ? "yes" : "no — to be transcribed"],
              ["Description", w.description],
              ["Address", w.address],
              ["Provenance", w.provenance],
            ]
              .filter(([, v]) => v)
              .flatMap(([k, v]) => [h("dt", {}, k as string), h("dd", {}, v as string)]),
          ),
        ),
      ),
    );
  };
  wb.ydoc.getMap(ROOTS.witnesses).observeDeep(() => wb.schedule(render));
  render();
  return render;
}

/**
 * One block of the side-by-side review as two cells: the base with this witness's lemmas marked (by
 * type and by this witness's reading's status), and the witness's text there — its readings where
 * entries give them, the base's words where it covers the block, "lacks this stretch" where it does not.
 */
import type { Node } from "prosemirror-model";
import { type ApparatusEntry, type Status, VARIANT_TYPE_LABELS } from "../schema/apparatus.ts";
import { h } from "./dom.ts";
export function reviewRow(
  block: Node,
  entries: Map<string, ApparatusEntry>,
  siglum: string,
  currentId: string | null,
  covered: boolean,
): HTMLElement {
  const statusOf = (e: ApparatusEntry): Status => e.decisions[siglum]?.status ?? "proposed";
  const left = h("div", { className: "cell base" });
  const right = h("div", { className: "cell witness" });
  let open: string | null = null;
  let leftSpan: HTMLElement | null = null;
  // An entry around others (a transposition's stretch) resumes after them: its reading is shown once.
  const shown = new Set<string>();
  let any = covered;
  block.forEach((child) => {
    const isCurrent = (id: string) => currentId === id;
    const classes = (e: ApparatusEntry, id: string) =>
      `v type-${e.type} status-${statusOf(e)}${isCurrent(id) ? " current" : ""}`;
    if (child.type.name === "anchor") {
      const e = entries.get(child.attrs.app);
      if (!e) return;
      any = true;
      left.append(
        h(
          "span",
          {
            className: `${classes(e, child.attrs.app)} anchor`,
            "data-app": child.attrs.app,
            title: VARIANT_TYPE_LABELS[e.type],
          },
          "^",
        ),
      );
      right.append(
        h(
          "span",
          { className: classes(e, child.attrs.app), "data-app": child.attrs.app },
          e.readings[siglum]?.text ?? "",
        ),
      );
      open = null;
      return;
    }
    if (!child.isText) return;
    const mark = child.marks.find((m) => m.type.name === "lemma" && entries.has(m.attrs.app));
    const id = (mark?.attrs.app as string | undefined) ?? null;
    if (id) {
      const e = entries.get(id) as ApparatusEntry;
      any = true;
      if (id !== open) {
        leftSpan = h("span", {
          className: classes(e, id),
          "data-app": id,
          title: `${VARIANT_TYPE_LABELS[e.type]}, ${siglum}'s reading ${statusOf(e)}`,
        });
        left.append(leftSpan);
        const r = e.readings[siglum];
        if (!shown.has(id))
          right.append(
            h(
              "span",
              { className: classes(e, id), "data-app": id },
              r?.kind === "om" ? "⟨om.⟩" : (r?.text ?? ""),
            ),
          );
        shown.add(id);
        open = id;
      }
      leftSpan?.append(child.text ?? "");
      return;
    }
    open = null;
    left.append(child.text ?? "");
    if (covered) right.append(child.text ?? "");
  });
  if (!any) right.append(h("span", { className: "lacuna" }, "lacks this stretch"));
  return h("div", { className: "pair", "data-block": block.attrs.id ?? "" }, left, right);
}

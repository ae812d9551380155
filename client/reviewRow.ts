/**
 * One block of the side-by-side review as two cells: the base with this witness's lemmas marked (by
 * type and by this witness's reading's status), and the witness's text there — its readings where
 * entries give them, the base's words where it covers the block, "lacks this stretch" where it does not.
 */
import type { Node } from "prosemirror-model";
import { type ApparatusEntry, type Status, VARIANT_TYPE_LABELS } from "../schema/apparatus.ts";
import { h, placeChildren } from "./dom.ts";
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

/**
 * The review's rows, each kept while its block and what it shows of the block's entries are unchanged:
 * a key press (the next entry, a decision) rebuilds the one or two rows it changes, not every paragraph.
 */
export class ReviewRows {
  private readonly kept = new Map<string, { block: Node; key: string; element: HTMLElement }>();
  /** The rows given out since the last `place`. */
  private readonly used = new Set<HTMLElement>();

  /** The row of `block` as `reviewRow` would build it, from the last one when nothing it shows moved. */
  row(
    block: Node,
    entries: Map<string, ApparatusEntry>,
    siglum: string,
    currentId: string | null,
    covered: boolean,
  ): HTMLElement {
    const ids = new Set<string>();
    block.forEach((child) => {
      if (child.type.name === "anchor") ids.add(child.attrs.app as string);
      for (const m of child.marks) if (m.type.name === "lemma") ids.add(m.attrs.app as string);
    });
    const shown = [...ids].map((id) => {
      const e = entries.get(id);
      return e ? [id, e.type, e.decisions[siglum]?.status ?? "proposed", e.readings[siglum]] : [id];
    });
    const key = JSON.stringify([covered, currentId !== null && ids.has(currentId) ? currentId : null, shown]);
    const id = String(block.attrs.id ?? "");
    const kept = this.kept.get(id);
    // (Two blocks may share an id, pasted: each gets a row of its own.)
    if (
      kept &&
      kept.key === key &&
      !this.used.has(kept.element) &&
      (kept.block === block || kept.block.eq(block))
    ) {
      kept.block = block;
      this.used.add(kept.element);
      return kept.element;
    }
    const element = reviewRow(block, entries, siglum, currentId, covered);
    if (id && !this.used.has(kept?.element as HTMLElement)) this.kept.set(id, { block, key, element });
    this.used.add(element);
    return element;
  }

  /** Puts `rows` in `columns` in order, moving only the rows that changed place. */
  place(columns: HTMLElement, rows: HTMLElement[]): void {
    placeChildren(columns, rows);
    const ids = new Set(rows.map((r) => r.dataset.block ?? ""));
    for (const id of this.kept.keys()) if (!ids.has(id)) this.kept.delete(id);
    this.used.clear();
  }
}

import type * as Y from "yjs";
import { PANEL_ORIGIN } from "./undo.ts";

/**
 * Binds an input or textarea to a shared Y.Text: local typing becomes the smallest insert/delete, remote
 * changes update the field while keeping the caret where it was. Two people typing in one reading merge.
 */
export function bindYText(field: HTMLInputElement | HTMLTextAreaElement, text: Y.Text): () => void {
  field.value = text.toString();
  const onInput = () => {
    const old = text.toString();
    const next = field.value;
    let start = 0;
    while (start < old.length && start < next.length && old[start] === next[start]) start++;
    let endOld = old.length;
    let endNew = next.length;
    while (endOld > start && endNew > start && old[endOld - 1] === next[endNew - 1]) {
      endOld--;
      endNew--;
    }
    text.doc?.transact(() => {
      if (endOld > start) text.delete(start, endOld - start);
      if (endNew > start) text.insert(start, next.slice(start, endNew));
    }, PANEL_ORIGIN);
  };
  const observer = (event: Y.YTextEvent, tr: Y.Transaction) => {
    if (tr.origin === PANEL_ORIGIN && tr.local) {
      if (field.value === text.toString()) return;
    }
    let caret = field.selectionStart ?? 0;
    let index = 0;
    for (const op of event.delta) {
      if (op.retain) index += op.retain;
      else if (op.insert) {
        const n = (op.insert as string).length;
        if (index < caret) caret += n;
        index += n;
      } else if (op.delete) {
        if (index < caret) caret = Math.max(index, caret - op.delete);
      }
    }
    field.value = text.toString();
    if (document.activeElement === field) field.setSelectionRange(caret, caret);
  };
  field.addEventListener("input", onInput);
  text.observe(observer);
  return () => {
    field.removeEventListener("input", onInput);
    text.unobserve(observer);
  };
}

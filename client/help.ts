/**
 * The keyboard help overlay, opened with `?` (outside a text field) and closed with Escape. It lists
 * the shortcuts this role has, from the same table the key bindings are made from.
 */
import { h } from "./dom.ts";

/** One shortcut: ProseMirror's key name (Mod = Ctrl, or Cmd on a Mac) and what it does. */
export interface Shortcut {
  key: string;
  does: string;
}

const isMac = typeof navigator !== "undefined" && /Mac/.test(navigator.platform);

/** A key name as a person reads it: Mod-Alt-f → Ctrl+Alt+F. */
export function keyLabel(key: string): string {
  return key
    .split("-")
    .map((k) => (k === "Mod" ? (isMac ? "Cmd" : "Ctrl") : k.length === 1 ? k.toUpperCase() : k))
    .join("+");
}

/** Mounts the overlay; returns a function that removes it. */
export function mountHelp(shortcuts: () => Shortcut[]): () => void {
  const dialog = h("dialog", { className: "help", "aria-labelledby": "help-title" });
  document.body.append(dialog);
  const open = () => {
    dialog.replaceChildren(
      h("h2", { id: "help-title" }, "Keyboard shortcuts"),
      h(
        "dl",
        {},
        ...shortcuts().flatMap((s) => [h("dt", {}, h("kbd", {}, keyLabel(s.key))), h("dd", {}, s.does)]),
        h("dt", {}, h("kbd", {}, "?")),
        h("dd", {}, "This list (outside the text and the fields)"),
      ),
      h("button", { type: "button", onclick: () => dialog.close() }, "Close"),
    );
    dialog.showModal();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== "?" || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target as HTMLElement | null;
    if (target?.closest("input, textarea, select, [contenteditable='true']")) return;
    e.preventDefault();
    open();
  };
  document.addEventListener("keydown", onKey);
  return () => {
    document.removeEventListener("keydown", onKey);
    dialog.remove();
  };
}

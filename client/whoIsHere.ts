/**
 * The "who is here" list: everyone connected to this document, with their role and the block their
 * caret is in; a click takes you there. Each client publishes where it is in its awareness state.
 */
import type { EditorView } from "prosemirror-view";
import type { Awareness } from "y-protocols/awareness";
import { h } from "./dom.ts";
import { goToBlock } from "./goTo.ts";
import type { Presence } from "./presence.ts";

/** The block around the caret: its id and its first words. */
function caretBlock(view: EditorView): { id: string; label: string } | null {
  const { $head } = view.state.selection;
  for (let d = $head.depth; d > 0; d--) {
    const node = $head.node(d);
    if (node.attrs.id) {
      const text = node.textContent.trim();
      return { id: String(node.attrs.id), label: text.length > 40 ? `${text.slice(0, 40)}…` : text };
    }
  }
  return null;
}

/** The list, mounted: `moved` is called on every editor state change, `destroy` stops it. */
export interface WhoIsHere {
  moved(): void;
  destroy(): void;
}

/** Mounts the list into `root`. */
export function mountWhoIsHere(root: HTMLElement, awareness: Awareness, view: EditorView): WhoIsHere {
  const list = h("ul", { className: "here-list", "aria-label": "Who is here" });
  const toggle = h(
    "button",
    { type: "button", className: "here-toggle", "aria-expanded": "false" },
    "Here: 1",
  );
  const panel = h("div", { className: "here-panel", hidden: true }, list);
  toggle.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
  });
  root.replaceChildren(toggle, panel);

  const render = () => {
    const people = [...awareness.getStates().entries()]
      .map(([client, state]) => ({ client, user: (state as { user?: Presence }).user }))
      .filter((p): p is { client: number; user: Presence } => !!p.user?.name);
    toggle.textContent = `Here: ${people.length}`;
    list.replaceChildren(
      ...people.map(({ client, user }) => {
        const self = client === awareness.clientID;
        const where = user.where;
        return h(
          "li",
          { className: "here-person" },
          h("span", { className: "here-dot", style: `background:${user.color}`, "aria-hidden": "true" }),
          h("strong", {}, `${user.name}${self ? " (you)" : ""}`),
          user.role ? h("span", { className: "badge" }, user.role) : "",
          where && !self
            ? h(
                "button",
                { type: "button", className: "link", onclick: () => goToBlock(view, where.id) },
                where.label || "an empty paragraph",
              )
            : "",
        );
      }),
    );
  };
  awareness.on("change", render);
  render();

  // Publish where our caret is, at most a few times a second.
  let last = "";
  let timer: ReturnType<typeof setTimeout> | null = null;
  const publish = () => {
    timer = null;
    const where = caretBlock(view);
    const key = JSON.stringify(where);
    if (key === last) return;
    last = key;
    const user = (awareness.getLocalState() as { user?: Presence } | null)?.user;
    if (user) awareness.setLocalStateField("user", { ...user, where });
  };
  const schedule = () => {
    timer ??= setTimeout(publish, 250);
  };
  return {
    moved: schedule,
    destroy: () => {
      awareness.off("change", render);
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * The editor page: connects to the edition's document, mounts the editor, toolbar, indicator and panels.
 */
import * as Y from "yjs";
import { ROOTS } from "../schema/layout.ts";
import { mountAbout } from "./about.ts";
import { type ConnectionState, connect } from "./connection.ts";
import { createEditor } from "./editor.ts";
import { loadPresence, savePresence } from "./presence.ts";
import { mountToolbar } from "./toolbar.ts";

const editionId = decodeURIComponent(location.pathname.replace(/^\/editions\//, "").split("/")[0] ?? "");
const byId = (id: string) => document.getElementById(id) as HTMLElement;

const ydoc = new Y.Doc();
const statusEl = byId("status");
const showState = (state: ConnectionState) => {
  statusEl.dataset.state = state.kind;
  statusEl.textContent =
    state.kind === "offline"
      ? `offline${state.unsynced ? ` — ${state.unsynced} unsynced edit${state.unsynced === 1 ? "" : "s"} kept` : ""}`
      : state.kind === "refused"
        ? `refused: ${state.reason}`
        : state.kind;
};
const provider = connect(ydoc, editionId, showState);

const presence = loadPresence(localStorage);
provider.awareness.setLocalStateField("user", presence);
const me = byId("me") as HTMLInputElement;
me.value = presence.name;
me.addEventListener("change", () => {
  presence.name = me.value.trim() || presence.name;
  savePresence(localStorage, presence);
  provider.awareness.setLocalStateField("user", presence);
});

let updateToolbar: ((s: import("prosemirror-state").EditorState) => void) | null = null;
const view = createEditor(byId("editor"), {
  fragment: ydoc.getXmlFragment(ROOTS.body),
  awareness: provider.awareness,
  onState: (state) => updateToolbar?.(state),
});
updateToolbar = mountToolbar(byId("toolbar"), view);

const meta = ydoc.getMap<unknown>(ROOTS.meta);
meta.observe(() => {
  const title = String(meta.get("title") ?? editionId);
  byId("title").textContent = title;
  document.title = `${title} — Variorum`;
});
mountAbout(byId("about"), ydoc);
const aboutToggle = byId("about-toggle");
aboutToggle.addEventListener("click", () => {
  const about = byId("about");
  about.hidden = !about.hidden;
  aboutToggle.setAttribute("aria-expanded", String(!about.hidden));
});

// For browser tests and the console: the live objects of this page.
Object.assign(window, { variorum: { ydoc, provider, view } });

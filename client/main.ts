/**
 * The editor page: connects to the edition's document, mounts the editor, toolbar, indicator and panels.
 */
import type { EditorState } from "prosemirror-state";
import * as Y from "yjs";
import { ROOTS } from "../schema/layout.ts";
import { mountAbout } from "./about.ts";
import { mountApparatusPanel } from "./apparatusPanel.ts";
import { mountCommentsPanel } from "./commentsPanel.ts";
import { type ConnectionState, connect } from "./connection.ts";
import { createEditor } from "./editor.ts";
import { mountGlossaryPanel } from "./glossaryPanel.ts";
import { mountGlossCard } from "./glossCard.ts";
import { mountHistoryPanel } from "./historyPanel.ts";
import { addVariant } from "./markup.ts";
import { loadPresence, savePresence } from "./presence.ts";
import { mountSide } from "./side.ts";
import { mountToolbar, toolbarItems } from "./toolbar.ts";
import { createUndoManager } from "./undo.ts";
import { mountWitnessPanel } from "./witnessPanel.ts";
import { frameScheduler, type Workbench } from "./workbench.ts";

const [editionPart, kind, siglumPart] = location.pathname.replace(/^\/editions\//, "").split("/");
const editionId = decodeURIComponent(editionPart ?? "");
/** On /editions/<id>/witness/<siglum> this page edits a witness's own text (a transcription). */
const witnessSiglum = kind === "witness" && siglumPart ? decodeURIComponent(siglumPart) : null;
const docName = witnessSiglum ? `${editionId}/witness/${witnessSiglum}` : editionId;
const byId = (id: string) => document.getElementById(id) as HTMLElement;

/** What the server says of this edition and of us in it: our role decides what the page lets us change. */
const info = (await (await fetch(`/api/editions/${encodeURIComponent(editionId)}`)).json()) as {
  role: "owner" | "editor" | "reviewer" | "reader" | null;
  user: string | null;
};
const canEdit = info.role === "owner" || info.role === "editor";
const canReview = canEdit || info.role === "reviewer";

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
const provider = connect(ydoc, docName, showState);

const presence = loadPresence(localStorage);
// A signed-in person is known by their account's name.
if (info.user) presence.name = info.user;
provider.awareness.setLocalStateField("user", presence);
const me = byId("me") as HTMLInputElement;
me.value = presence.name;
me.addEventListener("change", () => {
  presence.name = me.value.trim() || presence.name;
  savePresence(localStorage, presence);
  provider.awareness.setLocalStateField("user", presence);
});

const docListeners: (() => void)[] = [];
let updateToolbar: ((s: EditorState) => void) | null = null;
const undoManager = createUndoManager(ydoc);
const view = createEditor(byId("editor"), {
  fragment: ydoc.getXmlFragment(ROOTS.body),
  awareness: provider.awareness,
  undoManager,
  onState: (state) => {
    updateToolbar?.(state);
    for (const l of docListeners) l();
  },
});

const wb: Workbench = {
  ydoc,
  view,
  user: () => info.user ?? presence.name,
  canEdit,
  canReview,
  commentOnEntry: () => {},
  onDocChange: (l) => docListeners.push(l),
  schedule: frameScheduler(),
  selectEntry: () => {},
  selectGlossary: () => {},
};
const showTab = mountSide(
  byId("side"),
  witnessSiglum
    ? []
    : [
        { id: "apparatus", label: "Apparatus", mount: (root) => mountApparatusPanel(root, wb) },
        { id: "glossary", label: "Glossary", mount: (root) => mountGlossaryPanel(root, wb) },
        { id: "witnesses", label: "Witnesses", mount: (root) => mountWitnessPanel(root, wb, editionId) },
        {
          id: "comments",
          label: "Comments",
          mount: (root) => {
            const panel = mountCommentsPanel(root, wb);
            wb.commentOnEntry = (app) => {
              showTab("comments");
              panel.commentOnEntry(app);
            };
          },
        },
        { id: "history", label: "History", mount: (root) => mountHistoryPanel(root, wb, editionId) },
      ],
);
if (!canEdit) {
  view.setProps({ editable: () => false });
  byId("toolbar").hidden = true;
}
byId("role").textContent = info.role ?? "";
updateToolbar = mountToolbar(
  byId("toolbar"),
  view,
  toolbarItems({
    variant: () => {
      showTab("apparatus");
      const r = addVariant(view, ydoc, wb.user());
      if (r.ok) wb.selectEntry(r.id);
      else alert(r.reason);
    },
    link: () => {
      showTab("glossary");
      (document.querySelector('#panel-glossary input[type="search"]') as HTMLInputElement | null)?.focus();
    },
  }),
);
mountGlossCard(view, ydoc, (id) => {
  showTab("glossary");
  wb.selectGlossary(id);
});

const meta = ydoc.getMap<unknown>(ROOTS.meta);
meta.observe(() => {
  const title = witnessSiglum
    ? `Text of witness ${witnessSiglum} (${editionId})`
    : String(meta.get("title") ?? editionId);
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
Object.assign(window, { variorum: { ydoc, provider, view, undoManager } });

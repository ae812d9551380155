/**
 * One working session of the workbench page: a fresh `Y.Doc`, its connection, the editor and the panels,
 * built for one role. The page (main.ts) starts a new session when the server refuses a change, so that
 * what was refused is gone from the screen and the next edit syncs, without a reload.
 */
import { keydownHandler } from "prosemirror-keymap";
import type { EditorState } from "prosemirror-state";
import * as Y from "yjs";
import { ROOTS } from "../schema/layout.ts";
import { mountAbout } from "./about.ts";
import { mountApparatusPanel } from "./apparatusPanel.ts";
import { mountBaseBeside } from "./besideBase.ts";
import { mountBibliographyPanel } from "./bibliographyPanel.ts";
import { mountCollationViews } from "./collationViews.ts";
import { commentMarksPlugin, type MarksSource } from "./commentMarks.ts";
import { mountCommentsPanel } from "./commentsPanel.ts";
import { type ConnectionState, connect } from "./connection.ts";
import { createEditor } from "./editor.ts";
import { mountGlossaryPanel } from "./glossaryPanel.ts";
import { mountGlossCard } from "./glossCard.ts";
import { mountHelp } from "./help.ts";
import { mountHistoryPanel } from "./historyPanel.ts";
import { addVariant } from "./markup.ts";
import { mountNotesPanel } from "./notesPanel.ts";
import { mountOcrControls } from "./ocrControls.ts";
import { mountOcrNotice } from "./ocrNotice.ts";
import { colorFor } from "./presence.ts";
import { mountSearch } from "./search.ts";
import { mountSide, type Tab } from "./side.ts";
import { mountToolbar, type ToolbarItem, toolbarItems } from "./toolbar.ts";
import { mountTranscriptionIntro } from "./transcriptionIntro.ts";
import { transcriptionItems } from "./transcriptionTools.ts";
import { createUndoManager } from "./undo.ts";
import { mountWhoIsHere } from "./whoIsHere.ts";
import { mountWitnessPanel } from "./witnessPanel.ts";
import { frameScheduler, type Workbench } from "./workbench.ts";
import { zoneMarksPlugin } from "./zoneMarks.ts";

export type Role = "owner" | "editor" | "reviewer" | "reader";

/** Keys the editor's own keymap binds (editor.ts): the page does not handle them again. */
const EDITOR_KEYS: ReadonlySet<string> = new Set(["Mod-i", "Mod-b", "Mod-z", "Mod-y", "Mod-Shift-z"]);

export interface SessionOptions {
  editionId: string;
  /** Set on /editions/<id>/witness/<siglum>: the session edits that witness's own text. */
  witnessSiglum: string | null;
  role: Role;
  /** The signed-in account's name; it labels this person's cursor for everyone. */
  user: string | null;
  onState(state: ConnectionState): void;
  /** The server closed the connection for good (refused an update, revoked access, …). */
  onClosed(code: number, reason: string): void;
}

export interface Session {
  ydoc: Y.Doc;
  destroy(): void;
}

const byId = (id: string) => document.getElementById(id) as HTMLElement;

/** Builds a session into the page's editor, toolbar, side and about elements. */
export function startSession(o: SessionOptions): Session {
  const canEdit = o.role === "owner" || o.role === "editor";
  const canReview = canEdit || o.role === "reviewer";
  const docName = o.witnessSiglum ? `${o.editionId}/witness/${o.witnessSiglum}` : o.editionId;
  const cleanups: (() => void)[] = [];

  const ydoc = new Y.Doc();
  const provider = connect(ydoc, docName, o.onState, o.onClosed);
  const name = o.user ?? "Visitor";
  provider.awareness.setLocalStateField("user", { name, color: colorFor(name), role: o.role });

  const docListeners: (() => void)[] = [];
  let updateToolbar: ((s: EditorState) => void) | null = null;
  let moved: (() => void) | null = null;
  let movedScans: (() => void) | null = null;
  const undoManager = createUndoManager(ydoc);
  let openThread: (id: string) => void = () => {};
  let commentMarks: MarksSource = null;
  const view = createEditor(byId("editor"), {
    fragment: ydoc.getXmlFragment(ROOTS.body),
    awareness: provider.awareness,
    undoManager,
    plugins: [
      commentMarksPlugin(
        (id) => openThread(id),
        () => commentMarks,
      ),
      zoneMarksPlugin(),
    ],
    onState: (state) => {
      updateToolbar?.(state);
      moved?.();
      movedScans?.();
      // A copy: a listener may stop listening while they are called.
      for (const l of [...docListeners]) l();
    },
  });
  if (!canEdit) view.setProps({ editable: () => false });

  const wb: Workbench = {
    ydoc,
    view,
    user: () => o.user,
    canEdit,
    canReview,
    commentOnEntry: () => {},
    showComments: () => showTab("comments"),
    openThread: (id) => openThread(id),
    onDocChange: (l) => {
      docListeners.push(l);
      return () => {
        const i = docListeners.indexOf(l);
        if (i >= 0) docListeners.splice(i, 1);
      };
    },
    schedule: frameScheduler(),
    selectEntry: () => {},
    selectGlossary: () => {},
  };
  let commentOnSelection: (() => void) | null = null;
  // Comments on a transcription are the transcribers' notes to the team.
  const commentsTab: Tab = {
    id: "comments",
    label: "Comments",
    mount: (root) => {
      const panel = mountCommentsPanel(root, wb);
      cleanups.push(panel.destroy);
      openThread = panel.openThread;
      commentMarks = panel.marks;
      wb.commentOnEntry = (app) => {
        showTab("comments");
        panel.commentOnEntry(app);
      };
      commentOnSelection = () => {
        showTab("comments");
        (root.querySelector("textarea") as HTMLTextAreaElement | null)?.focus();
      };
    },
  };
  const showTab = mountSide(
    byId("side"),
    o.witnessSiglum
      ? [
          {
            id: "scans",
            label: "Scans",
            // The scan viewer (OpenSeadragon, a third of the bundle) is loaded only on a transcription's
            // page, where it is shown: the edition's workbench never parses it.
            mount: (root) => {
              let ended = false;
              cleanups.push(() => {
                ended = true;
              });
              void import("./scanViewer.ts").then(({ mountScanViewer }) => {
                if (ended) return;
                const scans = mountScanViewer(root, {
                  editionId: o.editionId,
                  siglum: o.witnessSiglum as string,
                  view,
                  ydoc,
                  canEdit,
                  user: o.user,
                });
                movedScans = scans.moved;
                cleanups.push(scans.destroy);
                cleanups.push(
                  mountOcrControls(root, {
                    editionId: o.editionId,
                    siglum: o.witnessSiglum as string,
                    awareness: provider.awareness,
                    view,
                    canEdit,
                    page: scans.page,
                  }),
                );
              });
            },
          },
          { ...commentsTab, label: "Notes to the team" },
        ]
      : [
          {
            id: "apparatus",
            label: "Apparatus",
            mount: (root) => cleanups.push(mountApparatusPanel(root, wb)),
          },
          { id: "glossary", label: "Glossary", mount: (root) => cleanups.push(mountGlossaryPanel(root, wb)) },
          {
            id: "bibliography",
            label: "Bibliography",
            mount: (root) => cleanups.push(mountBibliographyPanel(root, wb)),
          },
          {
            id: "witnesses",
            label: "Witnesses",
            mount: (root) => cleanups.push(mountWitnessPanel(root, wb, o.editionId)),
          },
          commentsTab,
          { id: "notes", label: "Notes", mount: (root) => cleanups.push(mountNotesPanel(root, wb)) },
          { id: "history", label: "History", mount: (root) => mountHistoryPanel(root, wb, o.editionId) },
        ],
  );

  // Only the controls this role may use: a reader gets none, a reviewer only Comment.
  const items: ToolbarItem[] = (
    canEdit
      ? toolbarItems({
          variant: () => {
            showTab("apparatus");
            const r = addVariant(view, ydoc, wb.user());
            if (r.ok) wb.selectEntry(r.id);
            else alert(r.reason);
          },
          link: () => {
            showTab("glossary");
            (
              document.querySelector('#panel-glossary input[type="search"]') as HTMLInputElement | null
            )?.focus();
          },
        })
      : []
  ).filter((item) => !(o.witnessSiglum && item.edition));
  if (canEdit && o.witnessSiglum)
    items.push(...transcriptionItems((question, answer) => window.prompt(question, answer)));
  if (canReview)
    items.push({
      label: "Comment",
      title: o.witnessSiglum ? "A note to the team on the selected words" : "Comment on the selected words",
      key: "Mod-Alt-m",
      command: (_state, dispatch) => {
        if (dispatch) commentOnSelection?.();
        return true;
      },
    });
  // The markup shortcuts work wherever the focus is (a reviewer's text cannot take the focus); the
  // editor's own keymap has the formatting and undo keys.
  const markupKeys = keydownHandler(
    Object.fromEntries(
      items
        .filter((i) => i.key && !EDITOR_KEYS.has(i.key))
        .map((i) => [i.key as string, (state: EditorState) => i.command(state, view.dispatch, view)]),
    ),
  );
  const onKey = (e: KeyboardEvent) => {
    // In a field of a panel the keys are the field's.
    if ((e.target as HTMLElement | null)?.closest?.("input, textarea, select")) return;
    if (markupKeys(view, e)) e.preventDefault();
  };
  document.addEventListener("keydown", onKey);
  cleanups.push(() => document.removeEventListener("keydown", onKey));
  const searchButton = byId("search-open");
  searchButton.hidden = o.witnessSiglum !== null;
  if (!o.witnessSiglum) {
    const search = mountSearch(o.editionId, {
      view,
      selectEntry: (id) => wb.selectEntry(id),
      selectGlossary: (id) => wb.selectGlossary(id),
      openThread: (id) => openThread(id),
      showTab: (id) => showTab(id),
    });
    searchButton.onclick = () => search.open();
    cleanups.push(search.destroy);
  }
  cleanups.push(
    mountHelp(() => [
      ...items.filter((i) => i.key).map((i) => ({ key: i.key as string, does: i.title })),
      ...(o.witnessSiglum ? [] : [{ key: "Mod-k", does: "Search the edition (also /)" }]),
    ]),
  );

  const toolbar = byId("toolbar");
  toolbar.hidden = items.length === 0;
  updateToolbar = mountToolbar(toolbar, view, items);

  cleanups.push(
    mountGlossCard(view, ydoc, (id) => {
      showTab("glossary");
      wb.selectGlossary(id);
    }),
  );
  const here = mountWhoIsHere(byId("here"), provider.awareness, view);
  cleanups.push(mountOcrNotice(byId("status"), provider.awareness, o.editionId));
  moved = here.moved;
  cleanups.push(here.destroy);

  const meta = ydoc.getMap<unknown>(ROOTS.meta);
  meta.observe(() => {
    const title = o.witnessSiglum
      ? `Text of witness ${o.witnessSiglum} (${o.editionId})`
      : String(meta.get("title") ?? o.editionId);
    byId("title").textContent = title;
    document.title = `${title} — Variorum`;
  });
  mountAbout(byId("about"), ydoc);
  if (o.witnessSiglum)
    mountTranscriptionIntro(byId("intro"), o.editionId, o.witnessSiglum, canEdit, () =>
      Y.encodeStateVector(ydoc),
    );
  cleanups.push(
    o.witnessSiglum
      ? mountBaseBeside(byId("editor"), wb, o.editionId, o.witnessSiglum)
      : mountCollationViews(byId("editor"), wb, { editionId: o.editionId, showTab: (id) => showTab(id) }),
  );

  // For browser tests and the console: the live objects of this session.
  Object.assign(window, {
    variorum: { ydoc, provider, view, undoManager, docListeners: () => docListeners.length },
  });

  return {
    ydoc,
    destroy() {
      for (const c of cleanups) c();
      provider.destroy();
      view.destroy();
      undoManager.destroy();
      ydoc.destroy();
      for (const id of ["editor", "side", "toolbar", "about", "here", "intro"]) byId(id).replaceChildren();
    },
  };
}

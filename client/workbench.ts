import type { EditorView } from "prosemirror-view";
import type * as Y from "yjs";

/** What the panels share: the document, the editor, who is working, and change notifications. */
export interface Workbench {
  ydoc: Y.Doc;
  view: EditorView;
  /** The name decisions and new entries are recorded under. */
  user(): string | null;
  /** Whether this person may change the text (editors and owners). */
  canEdit: boolean;
  /** Whether this person may comment and decide on variants (reviewers, editors, owners). */
  canReview: boolean;
  /** Shows the comments panel. */
  showComments(): void;
  /** Starts a comment on an apparatus entry. */
  commentOnEntry(app: string): void;
  /** Calls `listener` after every ProseMirror document change; returns what stops it. */
  onDocChange(listener: () => void): () => void;
  /** Runs `task` once on the next animation frame, however often it is scheduled before then. */
  schedule(task: () => void): void;
  /** Opens an apparatus entry in its panel. */
  selectEntry(id: string): void;
  /** Opens a comment thread in its panel. */
  openThread(id: string): void;
  /** Opens a glossary entry in its panel. */
  selectGlossary(id: string): void;
}

/** A scheduler that coalesces repeated requests for the same task into one per frame. */
export function frameScheduler(): (task: () => void) => void {
  const pending = new Set<() => void>();
  let requested = false;
  return (task) => {
    pending.add(task);
    if (requested) return;
    requested = true;
    requestAnimationFrame(() => {
      requested = false;
      const tasks = [...pending];
      pending.clear();
      // One failing task (a panel's render) must not keep the others of the frame from running.
      for (const t of tasks) {
        try {
          t();
        } catch (error) {
          console.error(error);
        }
      }
    });
  };
}

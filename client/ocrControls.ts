/**
 * The OCR draft beside the scans: *Recognise this page* asks the server to read the page shown
 * (server/ocr/); everyone with the transcription open follows the job's progress, which the server
 * publishes in its awareness state. *Accept the draft of this page* makes the draft's words the
 * transcription's: it removes the `ocr` mark and the low-confidence `unclear` marks OCR put there, as
 * one change of this person's (undoable).
 */
import type { EditorView } from "prosemirror-view";
import type { Awareness } from "y-protocols/awareness";
import { LOW_CONFIDENCE_REASON } from "../schema/ocrDraft.ts";
import { schema } from "../schema/schema.ts";
import { h } from "./dom.ts";

/** A job as the server publishes it (server/ocr/jobs.ts). */
interface JobSummary {
  siglum: string;
  page: number;
  lang: string;
  state: "queued" | "cleaning" | "reading" | "writing" | "done" | "failed";
  progress: number;
  by: string | null;
  queuedAt: number;
  error: string | null;
  result: { words: number; lowConfidence: number; meanConfidence: number; seconds: number } | null;
}

const DOING: Record<string, string> = {
  queued: "waiting for the OCR before it",
  cleaning: "cleaning the image",
  reading: "reading",
  writing: "writing the draft",
};

/** The range of page n of the transcription: after its page break, up to the next. */
export function pageRange(view: EditorView, n: number): { from: number; to: number } {
  const doc = view.state.doc;
  let breaks = 0;
  let from = n === 1 ? 0 : -1;
  let to = doc.content.size;
  doc.descendants((node, pos) => {
    if (node.type !== schema.nodes.page_break) return true;
    breaks++;
    if (breaks === n) from = pos + node.nodeSize;
    else if (breaks === n + 1 && to === doc.content.size) to = pos;
    return true;
  });
  return from < 0 ? { from: to, to } : { from, to };
}

export function mountOcrControls(
  root: HTMLElement,
  o: {
    editionId: string;
    siglum: string;
    awareness: Awareness;
    view: EditorView;
    canEdit: boolean;
    /** The page the scan viewer shows. */
    page(): number;
  },
): () => void {
  const api = (n: number, lang: string) =>
    `/api/editions/${encodeURIComponent(o.editionId)}/witnesses/${encodeURIComponent(o.siglum)}/pages/${n}/ocr${lang ? `?lang=${lang}` : ""}`;
  const progress = h("progress", { max: 1, value: 0, hidden: true, "aria-label": "OCR progress" });
  const status = h("p", { className: "panel-message ocr-status", role: "status", "aria-live": "polite" });
  const lang = h(
    "select",
    { "aria-label": "Language of the page" },
    h("option", { value: "" }, "the witness's language"),
    h("option", { value: "eng" }, "English"),
    h("option", { value: "rus" }, "Russian"),
  );
  const recognise = h(
    "button",
    {
      type: "button",
      className: "small",
      title: "Read the page shown with OCR into an empty page of the transcription",
    },
    "Recognise this page",
  );
  const accept = h(
    "button",
    {
      type: "button",
      className: "small",
      title: "The OCR draft of the page shown becomes the transcription's words",
    },
    "Accept the draft of this page",
  );
  const box = h(
    "div",
    { className: "ocr-controls" },
    o.canEdit ? h("div", { className: "row" }, recognise, lang, accept) : "",
    progress,
    status,
  );
  root.append(box);
  let said = "";

  const render = () => {
    const jobs: JobSummary[] = [];
    for (const state of o.awareness.getStates().values()) {
      const list = (state as { ocr?: unknown }).ocr;
      if (Array.isArray(list)) jobs.push(...(list as JobSummary[]).filter((j) => j.siglum === o.siglum));
    }
    const running = jobs.filter((j) => j.state !== "done" && j.state !== "failed");
    const job = running[0] ?? jobs.sort((a, b) => a.queuedAt - b.queuedAt).at(-1);
    if (!job) {
      progress.hidden = true;
      status.textContent = said;
      return;
    }
    progress.hidden = job.state === "done" || job.state === "failed";
    progress.value = job.progress;
    const who = job.by ? ` (asked by ${job.by})` : "";
    status.textContent =
      job.state === "done" && job.result
        ? `Page ${job.page}: OCR drafted ${job.result.words} words, ${job.result.lowConfidence} read with low confidence (underlined), mean confidence ${job.result.meanConfidence}, in ${job.result.seconds} s${who}. The draft is proposed until an editor accepts it.`
        : job.state === "failed"
          ? `Page ${job.page}: OCR failed: ${job.error ?? "no reason given"}${who}`
          : `Page ${job.page}: ${DOING[job.state] ?? job.state}…${who}${running.length > 1 ? ` (${running.length - 1} more page(s) waiting)` : ""}`;
    recognise.disabled = running.some((j) => j.page === o.page());
  };
  o.awareness.on("change", render);

  recognise.addEventListener("click", async () => {
    const n = o.page();
    recognise.disabled = true;
    const res = await fetch(api(n, lang.value), { method: "POST" });
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    said = res.ok ? "" : `Refused: ${body.error ?? `the server answered ${res.status}`}`;
    recognise.disabled = false;
    if (!res.ok) status.textContent = said;
    else render();
  });

  accept.addEventListener("click", () => {
    const n = o.page();
    const { from, to } = pageRange(o.view, n);
    const { state } = o.view;
    if (from >= to || !state.doc.rangeHasMark(from, to, schema.marks.ocr)) {
      status.textContent = said = `Page ${n} holds no OCR draft to accept.`;
      return;
    }
    o.view.dispatch(
      state.tr
        .removeMark(from, to, schema.marks.ocr)
        .removeMark(from, to, schema.marks.unclear.create({ reason: LOW_CONFIDENCE_REASON })),
    );
    status.textContent = said = `Accepted the OCR draft of page ${n}: its words are now the transcription's.`;
  });

  render();
  return () => {
    o.awareness.off("change", render);
    box.remove();
  };
}

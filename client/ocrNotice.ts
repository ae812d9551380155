/**
 * The OCR jobs running in this edition, in the page's header: whoever has the edition (or a
 * transcription) open sees which page of which witness is being read, by whose request, and how far it
 * is, from the server's awareness state (server/ocr/jobs.ts); a click opens that transcription.
 */
import type { Awareness } from "y-protocols/awareness";
import { h } from "./dom.ts";

interface Job {
  siglum: string;
  page: number;
  state: string;
  progress: number;
  by: string | null;
}

export function mountOcrNotice(after: HTMLElement, awareness: Awareness, editionId: string): () => void {
  const notice = h("a", { className: "ocr-notice", role: "status", hidden: true });
  after.after(notice);
  const render = () => {
    const running: Job[] = [];
    for (const state of awareness.getStates().values()) {
      const jobs = (state as { ocr?: unknown }).ocr;
      if (Array.isArray(jobs))
        running.push(...(jobs as Job[]).filter((j) => j.state !== "done" && j.state !== "failed"));
    }
    const job = running[0];
    notice.hidden = !job;
    if (!job) return;
    notice.href = `/editions/${encodeURIComponent(editionId)}/witness/${encodeURIComponent(job.siglum)}`;
    notice.textContent = `OCR: page ${job.page} of ${job.siglum}, ${job.state} (${Math.round(job.progress * 100)} %)${job.by ? `, for ${job.by}` : ""}${running.length > 1 ? `; ${running.length - 1} more` : ""}`;
  };
  awareness.on("change", render);
  render();
  return () => {
    awareness.off("change", render);
    notice.remove();
  };
}

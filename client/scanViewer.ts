/**
 * The scans of a witness beside its transcription: deep zoom with OpenSeadragon over the witness's IIIF
 * manifest (its level-0 images), page by page; the page shown follows the caret — the transcription's
 * n-th page break begins the n-th page. Editors can add pages here too.
 */
import OpenSeadragon from "openseadragon";
import type { EditorView } from "prosemirror-view";
import { h } from "./dom.ts";

interface Canvas {
  label: { none?: string[] };
  items: { items: { body: { id: string } }[] }[];
}

/** Which page the caret is on: the number of page breaks before it (text before the first is page 1). */
export function pageAtCaret(view: EditorView): number {
  let breaks = 0;
  view.state.doc.nodesBetween(0, view.state.selection.from, (node) => {
    if (node.type.name === "page_break") breaks++;
  });
  return Math.max(1, breaks);
}

/** Mounts the viewer; `moved` is called on every editor state change, `destroy` removes it. */
export function mountScanViewer(
  root: HTMLElement,
  editionId: string,
  siglum: string,
  view: EditorView,
  canEdit: boolean,
): { moved(): void; destroy(): void } {
  const base = `/iiif/${encodeURIComponent(editionId)}/${encodeURIComponent(siglum)}`;
  const status = h("span", { className: "scan-page", role: "status" }, "");
  const message = h("p", { className: "panel-message", role: "status" });
  const stage = h("div", { className: "scan-stage", "aria-label": `Scans of ${siglum}` });
  const prev = h(
    "button",
    { type: "button", className: "small", onclick: () => show(current - 1) },
    "← page",
  );
  const next = h(
    "button",
    { type: "button", className: "small", onclick: () => show(current + 1) },
    "page →",
  );
  const upload = h("input", {
    type: "file",
    accept: "image/jpeg,image/png,image/webp,image/tiff",
    multiple: true,
    "aria-label": `Add page images to ${siglum}`,
  });
  root.replaceChildren(
    h("div", { className: "row" }, prev, status, next),
    stage,
    canEdit ? h("label", { className: "row" }, "Add pages: ", upload) : "",
    message,
  );
  let viewer: OpenSeadragon.Viewer | null = null;
  let urls: string[] = [];
  let current = 1;
  let followCaret = true;

  const show = (n: number, fromCaret = false) => {
    if (!viewer || urls.length === 0) return;
    const page = Math.min(Math.max(1, n), urls.length);
    if (!fromCaret) followCaret = false; // the person chose a page: leave it until the caret moves on
    if (page === current && viewer.world.getItemCount() > 0) return;
    current = page;
    viewer.goToPage(page - 1);
    stage.dataset.page = String(page);
    status.textContent = `page ${page} of ${urls.length}`;
    prev.disabled = page <= 1;
    next.disabled = page >= urls.length;
  };

  const load = async () => {
    const res = await fetch(`${base}/manifest.json`);
    if (!res.ok) {
      message.textContent = `The scans cannot be shown: ${res.status}`;
      return;
    }
    const manifest = (await res.json()) as { items: Canvas[] };
    urls = manifest.items.map((c) => c.items[0]?.items[0]?.body.id ?? "");
    viewer?.destroy();
    viewer = null;
    if (urls.length === 0) {
      status.textContent = "no scans yet";
      prev.disabled = next.disabled = true;
      message.textContent = canEdit
        ? "Add the witness's page images below (or with npx variorum pages add)."
        : "No page images of this witness yet.";
      return;
    }
    message.textContent = "";
    viewer = OpenSeadragon({
      element: stage,
      // Plain images, opened one page at a time; the typings do not list this (documented) option form.
      tileSources: urls.map((url) => ({
        type: "image",
        url,
      })) as unknown as OpenSeadragon.Options["tileSources"],
      sequenceMode: true,
      showNavigationControl: false,
      showSequenceControl: false,
      preserveViewport: false,
    });
    current = 0;
    show(pageAtCaret(view), true);
  };

  upload.addEventListener("change", async () => {
    for (const file of upload.files ?? []) {
      const res = await fetch(
        `/api/editions/${encodeURIComponent(editionId)}/witnesses/${encodeURIComponent(siglum)}/pages?filename=${encodeURIComponent(file.name)}`,
        { method: "POST", body: file },
      );
      const body = (await res.json().catch(() => ({}))) as { error?: string; n?: number };
      message.textContent = res.ok ? `added page ${body.n}` : `Refused: ${body.error ?? res.status}`;
      if (!res.ok) break;
    }
    upload.value = "";
    await load();
  });

  void load();
  let last = 0;
  return {
    moved: () => {
      const page = pageAtCaret(view);
      if (page !== last) followCaret = true;
      last = page;
      if (followCaret) show(page, true);
    },
    destroy: () => viewer?.destroy(),
  };
}

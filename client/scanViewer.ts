/**
 * The scans of a witness beside its transcription: deep zoom with OpenSeadragon over the witness's IIIF
 * manifest (its level-0 images), page by page; the page shown follows the caret — the transcription's
 * n-th page break begins the n-th page. Editors can add pages here too.
 */
import OpenSeadragon from "openseadragon";
import type { EditorView } from "prosemirror-view";
import type * as Y from "yjs";
import { h } from "./dom.ts";
import { iiifAttachForm } from "./iiifAttach.ts";
import { attachZones } from "./zoneDrawing.ts";

interface Canvas {
  label: { none?: string[] };
  width: number;
  height: number;
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
  o: {
    editionId: string;
    siglum: string;
    view: EditorView;
    ydoc: Y.Doc;
    canEdit: boolean;
    user: string | null;
  },
): { moved(): void; page(): number; destroy(): void } {
  const { editionId, siglum, view, canEdit } = o;
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
  const drawButton = h(
    "button",
    { type: "button", className: "small", "aria-pressed": "false" },
    "Draw a zone",
  );
  root.replaceChildren(
    h("div", { className: "row" }, prev, status, next, canEdit ? drawButton : ""),
    stage,
    canEdit ? h("label", { className: "row" }, "Add pages: ", upload) : "",
    canEdit ? iiifAttachForm(editionId, siglum, message, () => load()) : "",
    h(
      "a",
      { href: `/api/editions/${encodeURIComponent(editionId)}/witnesses/${encodeURIComponent(siglum)}/tei` },
      "This transcription as TEI, with its page images and zones",
    ),
    message,
  );
  let viewer: OpenSeadragon.Viewer | null = null;
  let zones: ReturnType<typeof attachZones> | null = null;
  let canvases: Canvas[] = [];
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
    canvases = manifest.items;
    urls = manifest.items.map((c) => c.items[0]?.items[0]?.body.id ?? "");
    zones?.destroy();
    zones = null;
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
    zones = attachZones({
      viewer,
      stage,
      view,
      ydoc: o.ydoc,
      user: o.user,
      page: () => {
        const c = canvases[current - 1];
        return c ? { n: current, width: c.width, height: c.height } : null;
      },
      say: (text) => {
        message.textContent = text;
      },
    });
    current = 0;
    show(pageAtCaret(view), true);
  };
  drawButton.addEventListener("click", () => {
    const on = drawButton.getAttribute("aria-pressed") !== "true";
    drawButton.setAttribute("aria-pressed", String(on));
    zones?.draw(on);
    message.textContent = on
      ? "Select words in the transcription, then drag over the page to draw their zone."
      : "";
  });

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
    page: () => Math.max(1, current),
    moved: () => {
      const page = pageAtCaret(view);
      if (page !== last) followCaret = true;
      last = page;
      if (followCaret) show(page, true);
    },
    destroy: () => {
      zones?.destroy();
      viewer?.destroy();
    },
  };
}

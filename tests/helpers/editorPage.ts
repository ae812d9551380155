import type { Browser, Page } from "playwright-core";

/**
 * Opens the editor of an edition as a named person and waits until it is synced. With a token the page
 * signs in first through `/login?token=`, as a person following the CLI's link would; each call gets a
 * browser context of its own, so two pages are two people. `name` labels the page's errors; the name
 * others see is the account's.
 */
export async function openEditor(
  browser: Browser,
  url: string,
  name: string,
  token: string | null,
  edition = "manifesto",
  /** Called with the page before it opens anything (to listen to its requests, say). */
  prepare?: (page: Page) => void,
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  prepare?.(page);
  if (token) await page.goto(`${url}/login?token=${encodeURIComponent(token)}`);
  page.on("pageerror", (e) => console.error(`page error (${name}): ${e.message}`));
  await page.goto(`${url}/editions/${edition}`);
  await page.waitForSelector('#status[data-state="synced"]');
  return page;
}

/** Selects the first occurrence of `text` in the editor's base text (outside footnotes). */
export async function selectText(page: Page, text: string, occurrence = 0): Promise<void> {
  await page.evaluate(
    ({ text, occurrence }) => {
      const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
        .variorum;
      let seen = 0;
      let found: [number, number] | null = null;
      view.state.doc.descendants((node, pos) => {
        if (found || !node.isTextblock) return !found;
        let flat = "";
        const at: number[] = [];
        node.forEach((child, offset) => {
          if (child.isText) {
            for (let i = 0; i < (child.text ?? "").length; i++) at.push(pos + 1 + offset + i);
            flat += child.text;
          } else {
            at.push(-1);
            flat += "\uFFFC";
          }
        });
        for (let i = flat.indexOf(text); i >= 0 && !found; i = flat.indexOf(text, i + 1)) {
          if (seen++ === occurrence) found = [at[i] as number, (at[i + text.length - 1] as number) + 1];
        }
        return false;
      });
      if (!found) throw new Error(`"${text}" is not in the text`);
      const Sel = view.state.selection.constructor as typeof import("prosemirror-state").TextSelection;
      view.dispatch(view.state.tr.setSelection(Sel.create(view.state.doc, found[0], found[1])));
      view.focus();
    },
    { text, occurrence },
  );
}

/** Puts the caret right after the first (or the given) occurrence of `text`. */
export async function caretAfter(page: Page, text: string, occurrence = 0): Promise<void> {
  await selectText(page, text, occurrence);
  await page.evaluate(() => {
    const { view } = (window as unknown as { variorum: { view: import("prosemirror-view").EditorView } })
      .variorum;
    const Sel = view.state.selection.constructor as typeof import("prosemirror-state").TextSelection;
    view.dispatch(view.state.tr.setSelection(Sel.create(view.state.doc, view.state.selection.to)));
    view.focus();
  });
}

/** The editor text without the remote cursors' labels. */
export async function editorText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const copy = document.querySelector(".ProseMirror")?.cloneNode(true) as HTMLElement;
    for (const c of copy.querySelectorAll(".ProseMirror-yjs-cursor")) c.remove();
    return copy.textContent ?? "";
  });
}

export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The steps of the large-edition benchmark that drive a process or a page: a server started until it
 * listens and stopped, a browser page opened to its first edit, keystrokes timed to the next frame.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";

const ROOT = join(import.meta.dirname, "..");
/** Keys typed in the keystroke figure. */
export const KEYS = Number(process.env.LARGE_KEYS ?? 80);
const KEY_BUDGET_MS = Number(process.env.LARGE_KEY_BUDGET_MS ?? 60_000);

/** Starts a server process and resolves when it prints its address, with the time that took. */
export function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ ms: number; child: ChildProcess; port: number }> {
  const start = performance.now();
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve({ ms: performance.now() - start, child, port: Number(m[1]) });
    });
    child.stderr?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.once("exit", (code) => reject(new Error(`${command} exited with ${code}: ${out}`)));
  });
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  child.removeAllListeners("exit");
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

/** Puts the caret in a textblock past the middle of the editor's text; returns its position. */
export function caretInMiddle(page: Page, global: "variorum" | "bare"): Promise<number> {
  return page.evaluate((name) => {
    const view = (window as unknown as Record<string, { view: import("prosemirror-view").EditorView }>)[name]
      ?.view as import("prosemirror-view").EditorView;
    const doc = view.state.doc;
    let target = -1;
    doc.descendants((n, pos) => {
      if (target >= 0) return false;
      if (n.isTextblock && pos >= doc.content.size / 2) {
        n.forEach((c, offset) => {
          if (target < 0 && c.isText && (c.text ?? "").length > 10) target = pos + 1 + offset + 5;
        });
        return false;
      }
      return true;
    });
    const Sel = view.state.selection.constructor as typeof import("prosemirror-state").TextSelection;
    view.dispatch(view.state.tr.setSelection(Sel.create(doc, target)));
    view.focus();
    return target;
  }, global);
}

/** Opens the page, waits until it is synced, puts the caret in the middle and types one letter. */
export async function openToFirstEdit(
  browser: Browser,
  login: string | null,
  url: string,
  syncedSelector: string,
  global: "variorum" | "bare",
): Promise<{ ms: number; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`page error (${global}): ${e.message}`));
  if (login) await page.goto(login);
  const start = performance.now();
  await page.goto(url);
  await page.waitForSelector(syncedSelector, { timeout: 120_000 });
  await caretInMiddle(page, global);
  const size = await page.evaluate(
    (name) =>
      (window as unknown as Record<string, { view: import("prosemirror-view").EditorView }>)[name]?.view.state
        .doc.content.size,
    global,
  );
  await page.keyboard.type("x");
  await page.waitForFunction(
    ({ name, size }) =>
      ((window as unknown as Record<string, { view: import("prosemirror-view").EditorView }>)[name]?.view
        .state.doc.content.size ?? 0) > (size ?? 0),
    { name: global, size },
  );
  return { ms: performance.now() - start, page };
}

/** Keystroke → the next frame (a task after the animation frame that follows the keydown), in the page. */
export async function keystrokes(page: Page, global: "variorum" | "bare"): Promise<number[]> {
  await caretInMiddle(page, global);
  await page.evaluate(() => {
    const w = window as unknown as { latencies: number[] };
    w.latencies = [];
    document.addEventListener(
      "keydown",
      () => {
        const t0 = performance.now();
        requestAnimationFrame(() => setTimeout(() => w.latencies.push(performance.now() - t0), 0));
      },
      true,
    );
  });
  // One key at a time, each after the frame of the one before, so that a slow key is measured as
  // itself and not as a queue of keys behind it; within a time budget.
  const words = "the workers of all countries ".repeat(10).slice(0, KEYS);
  const budget = performance.now() + KEY_BUDGET_MS;
  for (let i = 0; i < words.length && performance.now() < budget; i++) {
    await page.keyboard.press(words[i] === " " ? "Space" : (words[i] as string));
    await page.waitForFunction(
      (n) => (window as unknown as { latencies: number[] }).latencies.length > n,
      i,
      {
        timeout: 120_000,
        polling: 10,
      },
    );
    await page.waitForTimeout(40);
  }
  const all = await page.evaluate(() => (window as unknown as { latencies: number[] }).latencies);
  return all.slice(5); // the first keys warm the page up
}

/**
 * The review page of one witness: opened until its count of variants shows, then `steps` presses of j
 * (to the next variant) and of a/p in turn (accept, back to proposed), each timed to the frame after it.
 */
export async function reviewSteps(
  browser: Browser,
  login: string,
  url: string,
  steps = 8,
): Promise<{ open: number; step: number[]; decide: number[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`page error (review): ${e.message}`));
  await page.goto(login);
  const start = performance.now();
  await page.goto(url);
  await page.waitForFunction(() => /reviewed \d+ of \d+/.test(document.body.textContent ?? ""), null, {
    timeout: 120_000,
  });
  const open = performance.now() - start;
  const frame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  const timed = async (key: string) => {
    const t = performance.now();
    await page.keyboard.press(key);
    await frame();
    return performance.now() - t;
  };
  const step: number[] = [];
  const decide: number[] = [];
  for (let i = 0; i < steps; i++) {
    step.push(await timed("j"));
    decide.push(await timed(i % 2 ? "p" : "a"));
  }
  await context.close();
  return { open, step, decide };
}

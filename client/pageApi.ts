/**
 * What the server-rendered pages' scripts share: a JSON request that reports the server's refusal as it
 * was worded, and a status line to say what happened.
 */

export interface ApiResult<T> {
  ok: boolean;
  status: number;
  data: T;
  /** The server's message on a refusal (with its details, one per line). */
  error: string;
}

/** Sends a request to the server's API; a body that is a string is sent as it is, else as JSON. */
export async function api<T = Record<string, unknown>>(
  method: string,
  url: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  const init: RequestInit = { method, headers: {} };
  if (typeof body === "string") {
    init.body = body;
    (init.headers as Record<string, string>)["content-type"] = "application/octet-stream";
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] = "application/json";
  }
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (error) {
    return { ok: false, status: 0, data: {} as T, error: `the server cannot be reached (${String(error)})` };
  }
  const data = (await res.json().catch(() => ({}))) as T & { error?: string; details?: string[] };
  const error = res.ok
    ? ""
    : [data.error ?? `the server answered ${res.status}`, ...(data.details ?? [])].join("\n");
  return { ok: res.ok, status: res.status, data, error };
}

/** Shows a message in a status line (`role="status"`), as an error or not. */
export function say(el: Element | null, message: string, isError = false): void {
  if (!el) return;
  el.textContent = message;
  el.classList.toggle("error", isError);
}

/** The element with this id, or a clear error when the page lacks it. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no element #${id}`);
  return el as T;
}

/** A date as the pages show it: 2026-12-17 14:05 UTC. */
export function when(ms: number | null): string {
  if (ms === null) return "never";
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

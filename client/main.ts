/**
 * The workbench page: asks the server who we are in this edition, then runs a session (session.ts) for
 * that role. When the server refuses a change or changes our role, the page says why and starts a fresh
 * session from the server's state — the refused change is gone here too, and the next edit syncs.
 */
import type { ConnectionState } from "./connection.ts";
import { type Role, type Session, startSession } from "./session.ts";

const [editionPart, kind, siglumPart] = location.pathname.replace(/^\/editions\//, "").split("/");
const editionId = decodeURIComponent(editionPart ?? "");
const witnessSiglum = kind === "witness" && siglumPart ? decodeURIComponent(siglumPart) : null;
const byId = (id: string) => document.getElementById(id) as HTMLElement;

const statusEl = byId("status");
const noticeEl = byId("notice");
const showState = (state: ConnectionState) => {
  statusEl.dataset.state = state.kind;
  statusEl.textContent =
    state.kind === "offline"
      ? `offline${state.unsynced ? ` — ${state.unsynced} unsynced edit${state.unsynced === 1 ? "" : "s"} kept` : ""}`
      : state.kind === "refused"
        ? `refused: ${state.reason}`
        : state.kind;
};
const notify = (text: string) => {
  noticeEl.textContent = text;
  noticeEl.hidden = text === "";
};

/** What the server says of this edition and of us in it; null when we may no longer read it. */
async function whoAmI(): Promise<{ role: Role; user: string | null } | { error: string }> {
  const res = await fetch(`/api/editions/${encodeURIComponent(editionId)}`);
  const body = (await res.json().catch(() => ({}))) as {
    role?: Role | null;
    user?: string | null;
    error?: string;
  };
  if (!res.ok || !body.role) return { error: body.error ?? `the server answered ${res.status}` };
  return { role: body.role, user: body.user ?? null };
}

// Close codes after which a fresh session can go on: a refused update, a change of role.
const REFUSED = 4403;
const MALFORMED = 4400;
let session: Session | null = null;
let restarts: number[] = [];
/** The role the running session was built for. */
let currentRole: Role | null = null;

async function start(reason: string | null): Promise<void> {
  session?.destroy();
  session = null;
  const me = await whoAmI();
  if ("error" in me) {
    notify(`${reason ? `${reason}. ` : ""}You can no longer open this edition: ${me.error}.`);
    statusEl.dataset.state = "refused";
    statusEl.textContent = "closed";
    return;
  }
  currentRole = me.role;
  byId("role").textContent = me.role;
  byId("me").textContent = me.user ?? "visitor";
  document.body.dataset.role = me.role;
  document.body.classList.toggle("transcription", witnessSiglum !== null);
  session = startSession({
    editionId,
    witnessSiglum,
    role: me.role,
    user: me.user,
    onState: (state) => {
      showState(state);
      if (state.kind === "synced" && reason === null) notify("");
    },
    onClosed: (code, why) => {
      if (code !== REFUSED && code !== MALFORMED) return;
      // A loop of refusals would mean this page keeps making a change the server cannot take: stop.
      const now = Date.now();
      restarts = [...restarts.filter((t) => now - t < 10_000), now];
      if (restarts.length > 3) {
        notify(`The server keeps refusing this page's changes (${why || code}). Reload the page.`);
        return;
      }
      const text = `The server refused a change (${why || `code ${code}`}); it has been undone here, and the text is the server's`;
      void start(text).then(() => notify(`${text}.`));
    },
  });
  Object.assign(window, { variorumPage: { restarts: () => restarts.length } });
}

await start(null);

// A raised role keeps its socket (the server re-scopes it): look now and then, and when the page comes
// back into view, and rebuild the page for the new role when it changed.
const recheckRole = async () => {
  if (!session) return;
  const me = await whoAmI().catch(() => null);
  if (!me || "error" in me || me.role === currentRole) return;
  const text = `Your role in this edition is now ${me.role}`;
  await start(text);
  notify(`${text}.`);
};
setInterval(() => void recheckRole(), 15_000);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") void recheckRole();
});

const panelsToggle = byId("panels-toggle");
panelsToggle.addEventListener("click", () => {
  const open = document.body.classList.toggle("drawer-open");
  panelsToggle.setAttribute("aria-expanded", String(open));
});
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && document.body.classList.contains("drawer-open")) {
    document.body.classList.remove("drawer-open");
    panelsToggle.setAttribute("aria-expanded", "false");
    panelsToggle.focus();
  }
});

const aboutToggle = byId("about-toggle");
aboutToggle.addEventListener("click", () => {
  const about = byId("about");
  about.hidden = !about.hidden;
  aboutToggle.setAttribute("aria-expanded", String(!about.hidden));
});

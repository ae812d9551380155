/** Who this browser is to the others: a name and a colour, kept in localStorage. */
export interface Presence {
  name: string;
  color: string;
}

const COLORS = ["#b3261e", "#1d6fa5", "#2e7d32", "#8e24aa", "#c66900", "#00838f", "#6d4c41", "#3949ab"];

export function loadPresence(storage: Storage): Presence {
  const saved = storage.getItem("variorum.presence");
  if (saved) {
    try {
      const p = JSON.parse(saved) as Presence;
      if (typeof p.name === "string" && /^#[0-9a-f]{6}$/i.test(p.color)) return p;
    } catch {
      // a damaged entry is replaced below
    }
  }
  const n = Math.floor(Math.random() * 900) + 100;
  const presence = { name: `Editor ${n}`, color: COLORS[n % COLORS.length] as string };
  storage.setItem("variorum.presence", JSON.stringify(presence));
  return presence;
}

export function savePresence(storage: Storage, presence: Presence): void {
  storage.setItem("variorum.presence", JSON.stringify(presence));
}

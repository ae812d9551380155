/**
 * Dates and times as the workbench shows them: ISO-like (2026-12-03 08:40), in the reader's own time
 * zone, whatever the browser's language — unambiguous for a European team, where 12/03 is not.
 */
const format = new Intl.DateTimeFormat("sv-SE", { dateStyle: "short", timeStyle: "short" });

export function formatWhen(ms: number): string {
  return format.format(new Date(ms));
}

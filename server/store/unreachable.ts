/**
 * Whether an error says the store could not be reached (PostgreSQL down, restarting or cut off), as
 * opposed to a request it refused: the first is told to people as "try again", with a 503 or close 4500.
 */

/** Node's network errors, and PostgreSQL's own for a server shutting down or not yet accepting. */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EPIPE",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
]);

/** A sentence for people when `error` is the store being unreachable; null for any other error. */
export function unreachableStore(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const code = (error as Error & { code?: unknown }).code;
  const unreachable =
    (typeof code === "string" && UNREACHABLE_CODES.has(code)) ||
    /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(error.message);
  return unreachable ? `the database cannot be reached (${error.message}); try again shortly` : null;
}

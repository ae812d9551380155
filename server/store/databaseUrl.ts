/**
 * `VARIORUM_DATABASE_URL`, read the same way by the server (`../main.ts`) and the command line
 * (`../../cli/`): a PostgreSQL URL, or nothing for the embedded SQLite store of the data folder.
 */

/** A PostgreSQL URL, or null for the embedded SQLite; throws, saying why, on anything else. */
export function parseDatabaseUrl(value: string | undefined): string | null {
  if (value === undefined || value.trim() === "") return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`VARIORUM_DATABASE_URL: "${value}" is not a URL (postgres://user@host:port/database)`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    throw new Error(`VARIORUM_DATABASE_URL: only postgres:// URLs are supported, not ${url.protocol}//`);
  return value;
}

/** What the PostgreSQL store's modules share: something to query, and a transaction on one client. */
import type pg from "pg";

/** The pool, or one client of it inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

/** Runs `work` in one transaction on one client of `pool`; rolls back when it throws. */
export async function transaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  // A connection that dies mid-transaction (PostgreSQL restarted) emits "error" on the checked-out
  // client, which the pool no longer listens to: unheard, it would end the process. The query fails too.
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  c.on("error", onError);
  try {
    await c.query("BEGIN");
    const result = await work(c);
    await c.query("COMMIT");
    return result;
  } catch (error) {
    await c.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    c.off("error", onError);
    c.release(broken);
  }
}

/** `bytea` as pg returns it, as the bytes the stores hand out. */
export const bytesOf = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * Whether `n` fits an `integer` column (ids): one that does not names no row, as in SQLite, rather than
 * making PostgreSQL refuse the query.
 */
export const isInt4 = (n: number): boolean => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;

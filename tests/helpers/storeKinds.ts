import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { AsyncStore } from "../../server/store/asyncStore.ts";
import { openPostgresStore } from "../../server/store/postgres.ts";
import { asyncSqlite } from "../../server/store/sqliteAdapter.ts";
import { openSqliteStore } from "../../server/store.ts";
import { startPostgres, type TestPostgres } from "./postgres.ts";
import { tempDir } from "./server.ts";

/** A store opened fresh for one test, with the folder its page images' files go to. */
export interface OpenedStore {
  store: AsyncStore;
  mediaDir: string;
  done: () => Promise<void>;
}

export interface StoreKind {
  name: string;
  open: () => Promise<OpenedStore>;
}

/**
 * Each kind of store for a conformance suite: SQLite in a temporary folder and a real PostgreSQL, started
 * for the calling test file (before its tests, stopped after), a fresh database for each store opened.
 */
export function storeKinds(): { kinds: StoreKind[]; postgres: () => TestPostgres } {
  let postgres: TestPostgres | undefined;
  let databases = 0;
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await postgres?.stop();
  });
  const running = () => {
    if (!postgres) throw new Error("PostgreSQL is not running: storeKinds() starts it in beforeAll");
    return postgres;
  };
  const kinds: StoreKind[] = [
    {
      name: "SQLite",
      open: async () => {
        const dir = tempDir();
        const store = asyncSqlite(openSqliteStore(dir));
        return {
          store,
          mediaDir: join(dir, "media"),
          done: async () => {
            await store.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    },
    {
      name: "PostgreSQL",
      open: async () => {
        const mediaDir = tempDir("variorum-media-");
        const store = await openPostgresStore(await running().database(`conformance${++databases}`), {
          mediaDir,
        });
        return {
          store,
          mediaDir,
          done: async () => {
            await store.close();
            rmSync(mediaDir, { recursive: true, force: true });
          },
        };
      },
    },
  ];
  return { kinds, postgres: running };
}

/** A test body run on a fresh store of one kind, closed (and its files removed) afterwards. */
export const withStore =
  (kind: StoreKind, test: (opened: OpenedStore) => Promise<void>) => async (): Promise<void> => {
    const opened = await kind.open();
    try {
      await test(opened);
    } finally {
      await opened.done();
    }
  };

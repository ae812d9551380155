import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

/** How a failover client's socket ended: the server that closed it, its close code and reason. */
export interface ClientClose {
  url: string;
  code: number;
  reason: string;
  at: number;
}

export interface FailoverClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The server the client is connected to, or will try next. */
  readonly url: string;
  /** Every socket that ended, in order (a refused connection to a dead server included). */
  readonly closes: ClientClose[];
  /** Whether the client is connected and has synced with its current server. */
  readonly synced: boolean;
  /** Where the client stands, for a failure message: its server, connection and last closes. */
  describe(): string;
  /** Leaves its server for the one at `url` (one of its list), as a balancer moving a client would. */
  moveTo(url: string): void;
  destroy(): void;
}

export interface FailoverOptions {
  /** Which of `urls` to try first (default 0). */
  start?: number;
  /** URL parameters (`token`). */
  params?: Record<string, string>;
  /** The longest wait between two attempts (y-websocket backs off exponentially up to it). */
  maxBackoffMs?: number;
}

/**
 * A y-websocket client in Node that knows several servers (`ws://host:port/sync` each): when its socket
 * ends, however it ends, it tries the next one in the list, around and around, until one answers — the
 * "client takes a list of URLs" of running several servers without a load balancer. It is y-websocket's
 * own provider: `connection-close` is emitted before the provider schedules its reconnect, so setting
 * `serverUrl` there makes the reconnect go to the next server; what the client holds and the server
 * lacks is sent again by the sync that follows, as after any reconnect.
 */
export function failoverClient(
  urls: string[],
  docName: string,
  options: FailoverOptions = {},
): FailoverClient {
  if (urls.length === 0) throw new Error("a failover client needs at least one server URL");
  let at = (options.start ?? 0) % urls.length;
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(urls[at] as string, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: options.params ?? {},
    disableBc: true,
    maxBackoffTime: options.maxBackoffMs ?? 1000,
  });
  const closes: ClientClose[] = [];
  provider.on("connection-close", (event) => {
    // `event` is null when the provider closed the socket itself (its silence watchdog, a disconnect).
    closes.push({
      url: provider.serverUrl,
      code: event?.code ?? 0,
      reason: event?.reason ?? "closed by the client",
      at: Date.now(),
    });
    at = (at + 1) % urls.length;
    provider.serverUrl = urls[at] as string;
  });
  return {
    doc,
    provider,
    get url() {
      return provider.serverUrl;
    },
    closes,
    get synced() {
      return provider.wsconnected && provider.synced;
    },
    describe: () => {
      const state = provider.wsconnected ? (provider.synced ? "synced" : "connected") : "disconnected";
      const last = closes.slice(-3).map((c) => `${c.code} ${c.reason} (${c.url})`);
      return `${state} on ${provider.serverUrl}; ${closes.length} closes, last: ${last.join("; ") || "none"}`;
    },
    moveTo: (url) => {
      const index = urls.indexOf(url);
      if (index < 0) throw new Error(`${url} is not one of the client's servers (${urls.join(", ")})`);
      provider.disconnect();
      at = index;
      provider.serverUrl = url;
      provider.connect();
    },
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

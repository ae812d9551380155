/**
 * A fixed-window rate limiter keyed by client address, used both by HTTP routes (sign-in) and by the
 * websocket door (connections), which is why it is not Express middleware.
 */
export interface RateLimiter {
  /** Counts one attempt; false when the key has used up its window. */
  take(key: string): boolean;
  /** Seconds until the key's window resets. */
  retryAfter(key: string): number;
}

export function rateLimiter(limit: number, windowMs: number, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const current = (key: string) => {
    const t = now();
    let w = windows.get(key);
    if (!w || t - w.start >= windowMs) {
      w = { start: t, count: 0 };
      windows.set(key, w);
      if (windows.size > 10_000) {
        for (const [k, v] of windows) if (t - v.start >= windowMs) windows.delete(k);
      }
    }
    return w;
  };
  return {
    take: (key) => {
      const w = current(key);
      w.count++;
      return w.count <= limit;
    },
    retryAfter: (key) => Math.ceil((current(key).start + windowMs - now()) / 1000),
  };
}

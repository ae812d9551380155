/** Where the server writes what an operator should see. */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Lines on standard error with a timestamp and level; `quiet` keeps only warnings and errors. */
export function consoleLog(options: { quiet?: boolean } = {}): Log {
  const line = (level: string, message: string) =>
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
  return {
    info: (m) => {
      if (!options.quiet) line("info", m);
    },
    warn: (m) => line("warn", m),
    error: (m) => line("error", m),
  };
}

/** A log that keeps its lines, for tests that assert what the server said. */
export function memoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

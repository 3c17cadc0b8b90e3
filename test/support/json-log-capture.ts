import type { Readable } from 'node:stream';

/** A parsed pino line. */
export type JsonLogLine = Record<string, unknown> & { msg?: string; requestId?: string; service?: string };

/**
 * Collects the JSON log lines of services started with `stdio: 'pipe'`, for assertions. Reading also keeps the pipes
 * drained: a service writing to a full pipe would stall.
 */
export class JsonLogCapture {
  readonly lines: JsonLogLine[] = [];

  /** Starts reading a stream (a child's stdout or stderr); call it as soon as the child exists. */
  read(stream: Readable | null | undefined): void {
    if (!stream) return;
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const text of complete) {
        if (!text.startsWith('{')) continue;
        try {
          this.lines.push(JSON.parse(text) as JsonLogLine);
        } catch {
          // Not a log line (a stray console message).
        }
      }
    });
  }

  /** Resolves with every line that satisfies `predicate` once there is at least one, waiting up to `timeoutMs`. */
  async waitFor(predicate: (line: JsonLogLine) => boolean, timeoutMs = 5_000): Promise<JsonLogLine[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.filter(predicate);
      if (found.length > 0) return found;
      if (Date.now() > deadline) throw new Error(`no log line as expected within ${timeoutMs} ms (${this.lines.length} lines read)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

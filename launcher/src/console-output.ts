import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { prettyFactory } from 'pino-pretty';

/** `pretty`: one coloured, aligned line per event for a person at a terminal; `json`: pino's lines, for machines. */
export type LogFormat = 'pretty' | 'json';

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LogLevelName = keyof typeof LEVELS;

/**
 * Pretty at an interactive terminal in development; JSON when output goes to a file, a pipe or a log collector, and
 * in production, where something parses it. `LOG_FORMAT` overrides either way.
 */
export function chooseLogFormat(options: { LOG_FORMAT?: LogFormat | undefined; NODE_ENV: string }, stdout: { isTTY?: boolean } = process.stdout): LogFormat {
  if (options.LOG_FORMAT) return options.LOG_FORMAT;
  return options.NODE_ENV !== 'production' && stdout.isTTY === true ? 'pretty' : 'json';
}

export interface ConsoleOutputOptions {
  format: LogFormat;
  /** The launcher's own lines below this level are dropped (the services filter theirs with the same LOG_LEVEL). */
  level: LogLevelName | 'silent';
  /** Colours in pretty mode; off with `NO_COLOR` or when the terminal cannot show them. */
  colors?: boolean;
  write?: (text: string) => void;
}

const LABEL_WIDTH = 14;

/**
 * Everything `npm start` prints goes through here: the launcher's own events, each service's log lines (read from
 * its piped stdout and stderr) and the ready banner, so nine processes make one readable stream. Each line names
 * its service and replica (`movies#2`). Service lines are pino JSON; anything else a process prints (a crash's stack
 * trace) is kept, prefixed in pretty mode and wrapped in a JSON line in JSON mode, so the output stays parseable.
 */
export class ConsoleOutput {
  readonly format: LogFormat;
  readonly #minimum: number;
  readonly #write: (text: string) => void;
  readonly #pretty: ((line: Record<string, unknown>) => string) | undefined;
  /** Processes started so far per service, to number them (`movies#2`). */
  readonly #replicas = new Map<string, number>();
  #linesWritten = 0;

  constructor(options: ConsoleOutputOptions) {
    this.format = options.format;
    this.#minimum = options.level === 'silent' ? Infinity : LEVELS[options.level];
    this.#write = options.write ?? ((text) => void process.stdout.write(text));
    if (options.format === 'pretty') {
      const colors = options.colors ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
      this.#pretty = prettyFactory({
        colorize: colors,
        singleLine: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,service,name,label,stream',
        // An error stays on its event's line (see summariseError); pino-pretty would spread it over several.
        errorLikeObjectKeys: [],
        // The message in the terminal's own colour; the level and the service name carry the colour.
        customColors: 'trace:gray,debug:blue,info:green,warn:yellow,error:red,fatal:bgRed,message:reset,greyMessage:gray,property:gray',
        messageFormat: (line, messageKey, _level, { colors: paint }) =>
          `${paint.magenta(String(line.label).padEnd(LABEL_WIDTH))} ${messageOf(line[messageKey])}`,
      });
    }
  }

  /** Lines printed so far: tests and the banner logic use it to tell whether anything came after the banner. */
  get linesWritten(): number {
    return this.#linesWritten;
  }

  /**
   * Resolves once no line has been printed for `quietMs` (at most after `maxMs`). A service's ready message comes over
   * IPC while its last log lines ("listening") come through a pipe, and nothing orders the two in this process: the
   * banner waits for the output to settle so that it is not followed by lines that were already on their way.
   */
  async settled(quietMs = 150, maxMs = 2_000): Promise<void> {
    const deadline = Date.now() + maxMs;
    let seen = -1;
    while (seen !== this.#linesWritten && Date.now() < deadline) {
      seen = this.#linesWritten;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }

  /** One of the launcher's own events. */
  launcher(msg: string, level: LogLevelName = 'info', fields: Record<string, unknown> = {}): void {
    if (LEVELS[level] < this.#minimum) return;
    this.#emit({ level: LEVELS[level], time: new Date().toISOString(), service: 'launcher', pid: process.pid, ...fields, msg }, 'launcher');
  }

  /** Reads a service process's piped stdout and stderr line by line, from its first line until it exits. */
  attach(name: string, child: ChildProcess): void {
    const replicas = (this.#replicas.get(name) ?? 0) + 1;
    this.#replicas.set(name, replicas);
    const label = `${name}#${replicas}`;
    if (child.stdout) this.#follow(child.stdout, label, false);
    if (child.stderr) this.#follow(child.stderr, label, true);
  }

  /**
   * The ready banner: printed as is at a terminal; in JSON mode one `ready` line carrying the same facts, so that
   * the stream stays one JSON object per line.
   */
  banner(text: string, fields: Record<string, unknown>): void {
    if (this.format === 'pretty') this.#writeLine(text.replace(/^\n+|\n+$/g, '').concat('\n'), 0);
    else this.launcher('ready', 'info', fields);
  }

  #follow(stream: Readable, label: string, isStderr: boolean): void {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.#serviceLine(line, label, isStderr));
  }

  #serviceLine(line: string, label: string, isStderr: boolean): void {
    if (!line.trim()) return;
    const parsed = parseJsonLine(line);
    if (!parsed) {
      // Not a log line: a stack trace, a warning from Node. Kept whole, attributed to its process.
      this.#emit(
        { level: isStderr ? LEVELS.error : LEVELS.info, time: new Date().toISOString(), service: label, msg: line, stream: isStderr ? 'stderr' : 'stdout' },
        label,
        true,
      );
      return;
    }
    if (this.format === 'json') this.#writeLine(`${line}\n`, 1);
    else this.#emit(parsed, label);
  }

  #emit(line: Record<string, unknown>, label: string, raw = false): void {
    if (this.format === 'json') {
      this.#writeLine(`${JSON.stringify(line)}\n`, 1);
      return;
    }
    const printable = { ...(raw ? line : summariseError(line)) };
    // One event, one line: a message with line breaks in it (the gateway's start-up notice) is joined up.
    if (typeof printable.msg === 'string' && printable.msg.includes('\n')) printable.msg = printable.msg.replace(/\s*\n\s*/g, ' ');
    this.#writeLine(this.#pretty!({ ...printable, label }), 1);
  }

  #writeLine(text: string, lines: number): void {
    this.#linesWritten += lines;
    this.#write(text);
  }
}

function parseJsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * pino puts an error's stack in `err`, which pretty-printing spreads over many lines. At a terminal it becomes its
 * code and message on the event's own line (`err: "ECONNREFUSED connect ECONNREFUSED 127.0.0.1:5432"`); the stack
 * is in the JSON output (`LOG_FORMAT=json`), where nothing is left out.
 */
function summariseError(line: Record<string, unknown>): Record<string, unknown> {
  const err = line.err;
  if (typeof err !== 'object' || err === null) return line;
  const { code, message, type } = err as { code?: unknown; message?: unknown; type?: unknown };
  const summary = [typeof code === 'string' ? code : undefined, typeof message === 'string' ? message : typeof type === 'string' ? type : undefined]
    .filter(Boolean)
    .join(' ');
  return { ...line, err: summary || 'error' };
}

/** A log line's message as text: pino writes a string, but a caller may have logged any value in its place. */
function messageOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { chooseLogFormat, ConsoleOutput } from '../src/console-output.js';

const capture = (format: 'pretty' | 'json', level: 'info' | 'warn' = 'info') => {
  const written: string[] = [];
  const output = new ConsoleOutput({ format, level, colors: false, write: (text) => written.push(text) });
  return { output, written };
};

/** A real child process printing the given lines, attached to the output; resolves once its output is read. */
async function attachPrinter(output: ConsoleOutput, name: string, stdout: string[], stderr: string[] = []): Promise<void> {
  const script = `process.stdout.write(${JSON.stringify(stdout.map((line) => `${line}\n`).join(''))}); process.stderr.write(${JSON.stringify(stderr.map((line) => `${line}\n`).join(''))});`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  output.attach(name, child);
  await new Promise((resolve) => child.once('close', resolve));
  await new Promise((resolve) => setImmediate(resolve));
}

const line = (fields: Record<string, unknown>) => JSON.stringify({ level: 30, time: '2026-11-29T10:00:00.000Z', pid: 1, ...fields });

describe('console output', () => {
  it('picks pretty at a terminal in development, JSON otherwise, and LOG_FORMAT over both', () => {
    expect(chooseLogFormat({ NODE_ENV: 'development' }, { isTTY: true })).toBe('pretty');
    expect(chooseLogFormat({ NODE_ENV: 'development' }, { isTTY: false })).toBe('json');
    expect(chooseLogFormat({ NODE_ENV: 'production' }, { isTTY: true })).toBe('json');
    expect(chooseLogFormat({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }, { isTTY: false })).toBe('pretty');
  });

  it('pretty: one line per event, named by service and replica, with its fields', async () => {
    const { output, written } = capture('pretty');
    await attachPrinter(output, 'movies', [line({ service: 'movies', msg: 'movies listening', url: 'http://127.0.0.1:1' })]);
    await attachPrinter(output, 'movies', [
      line({
        service: 'movies',
        level: 40,
        msg: 'feed down',
        err: { type: 'Error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED', stack: 'Error: x\n    at y' },
      }),
    ]);
    await attachPrinter(output, 'router', [line({ service: 'router', msg: 'Gateway ready\n\t* Mode: unmanaged' })], ['TypeError: boom', '    at somewhere']);
    const lines = written.join('').split('\n').filter(Boolean);
    expect(lines, lines.join('\n')).toHaveLength(5);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: movies#1\s+movies listening \{"url":"http:\/\/127\.0\.0\.1:1"\}$/);
    expect(lines[1]).toMatch(/WARN: movies#2\s+feed down \{"err":"ECONNREFUSED connect ECONNREFUSED"\}$/);
    expect(lines[2]).toMatch(/INFO: router#1\s+Gateway ready \* Mode: unmanaged$/);
    expect(lines[3]).toMatch(/ERROR: router#1\s+TypeError: boom$/);
    expect(lines[4]).toMatch(/ERROR: router#1\s+ {4}at somewhere$/);
  });

  it("JSON: service lines untouched, anything else wrapped, the launcher's own filtered by level", async () => {
    const { output, written } = capture('json', 'warn');
    const serviceLine = line({ service: 'people', msg: 'people listening' });
    await attachPrinter(output, 'people', [serviceLine, 'not json']);
    output.launcher('starting', 'info');
    output.launcher('port busy', 'error', { code: 'PORT_IN_USE' });
    output.banner('\n  Movie graph ready\n', { url: 'http://127.0.0.1:4000/graphql' });
    const lines = written.join('').split('\n').filter(Boolean);
    expect(lines[0]).toBe(serviceLine);
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 30, service: 'people#1', msg: 'not json', stream: 'stdout' });
    expect(JSON.parse(lines[2]!)).toMatchObject({ level: 50, service: 'launcher', code: 'PORT_IN_USE', msg: 'port busy' });
    // The banner is info: below this output's level, like every other info line of the launcher.
    expect(lines).toHaveLength(3);
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Whether `wrk` is installed; it is preferred because, in C, it costs the machine far less than the servers it measures. */
export function wrkInstalled(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

export interface WrkRun {
  /** Base URL; the Lua script chooses each request's path and body. */
  readonly url: string;
  /**
   * The Lua script. Its `done` hook must print one line `RESULT <n> <n> ...` with the figures the caller reads back
   * (wrk's own summary is text for humans; a line of our own is the stable interface).
   */
  readonly script: string;
  readonly connections: number;
  readonly seconds: number;
  /** wrk counts a slower answer as a timeout (its default of 2 s would cut off deep queries). */
  readonly timeoutSeconds?: number;
}

/**
 * Runs wrk once with a closed loop of `connections` keep-alive connections on at most two threads (the machine's
 * other core belongs to the servers being measured) and returns the numbers of the script's `RESULT` line.
 */
export async function runWrk(run: WrkRun): Promise<number[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-wrk-'));
  const script = path.join(dir, 'load.lua');
  await writeFile(script, run.script);
  try {
    const args = ['-t', String(Math.min(2, run.connections)), '-c', String(run.connections), '-d', `${run.seconds}s`];
    if (run.timeoutSeconds !== undefined) args.push('--timeout', `${run.timeoutSeconds}s`);
    args.push('-s', script, run.url);
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk failed (${code}): ${out}`))));
    });
    const match = /^RESULT((?: \d+)+)$/m.exec(output);
    if (!match?.[1]) throw new Error(`Cannot read wrk output:\n${output}`);
    return match[1].trim().split(' ').map(Number);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A JavaScript string as a Lua string literal. */
export function luaString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

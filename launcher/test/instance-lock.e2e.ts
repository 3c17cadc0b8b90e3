import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME } from '../src/instance-lock.js';

const holder = fileURLToPath(new URL('./support/hold-instance-lock.ts', import.meta.url));

interface Outcome {
  outcome: 'acquired' | 'refused';
  pid: number;
  holder?: number;
  message?: string;
}

/** Starts a process that takes the lock; resolves with what it printed first. */
function contender(dataDir: string): { child: ChildProcess; outcome: Promise<Outcome> } {
  const child = spawn(process.execPath, ['--import', 'tsx', holder, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const outcome = new Promise<Outcome>((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) resolve(JSON.parse(text.split('\n')[0]!) as Outcome);
    });
    child.once('exit', (code) => reject(new Error(`contender exited with ${code} before saying anything`)));
  });
  return { child, outcome };
}

/** The instance lock across real processes: starts at the same moment, a dead owner, a damaged file. */
describe('instance lock', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'instance-lock-'));
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('of four starts at the same moment, exactly one wins and the others name it', async () => {
    const racers = Array.from({ length: 4 }, () => contender(dataDir));
    children.push(...racers.map((racer) => racer.child));
    const outcomes = await Promise.all(racers.map((racer) => racer.outcome));
    const winners = outcomes.filter((outcome) => outcome.outcome === 'acquired');
    expect(winners).toHaveLength(1);
    for (const loser of outcomes.filter((outcome) => outcome.outcome === 'refused')) {
      expect(loser.holder).toBe(winners[0]!.pid);
      expect(loser.message).toContain(`(pid ${winners[0]!.pid})`);
    }
    const record = JSON.parse(await readFile(path.join(dataDir, LOCK_FILE_NAME), 'utf8')) as { pid: number };
    expect(record.pid).toBe(winners[0]!.pid);

    // The winner lets go cleanly: the lock file goes with it.
    const winner = racers.find((racer) => racer.child.pid === winners[0]!.pid)!.child;
    const exited = new Promise((resolve) => winner.once('exit', resolve));
    winner.stdin!.end();
    await exited;
    await expect(readFile(path.join(dataDir, LOCK_FILE_NAME))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 120_000);

  it('a lock left by a dead process or damaged is taken over', async () => {
    // A pid that surely is not running: a process that has exited.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.once('exit', resolve));
    for (const content of [JSON.stringify({ pid: dead.pid, url: 'http://127.0.0.1:9/graphql', state: 'ready', startedAt: '' }), '{"pid":']) {
      await writeFile(path.join(dataDir, LOCK_FILE_NAME), content);
      const taker = contender(dataDir);
      children.push(taker.child);
      expect((await taker.outcome).outcome).toBe('acquired');
      const exited = new Promise((resolve) => taker.child.once('exit', resolve));
      taker.child.stdin!.end();
      await exited;
    }
  }, 120_000);
});

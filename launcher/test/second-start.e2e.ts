import { access } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME } from '../src/instance-lock.js';
import { createLauncherSandbox, launch, postmasterPid, query, type LauncherProcess, type LauncherSandbox } from './support/launcher-process.js';

// Starting a platform (embedded PostgreSQL, four services) takes seconds alone but minutes on a loaded 2-core box.
const START_MS = 240_000;
/** A refused start loads the launcher's code and reads one file: far below this even on a loaded machine. */
const REFUSAL_MS = 60_000;

const isReady = (line: string) => line.includes('"msg":"ready"');
const readyUrl = (line: string) => (JSON.parse(line) as { url: string }).url;
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/**
 * The real `npm start` entry, twice on the same data directory and ports: the second must leave the first alone.
 * Then the first is killed with SIGKILL, which leaves its PostgreSQL running: the next start cleans that up.
 */
describe('a second npm start', () => {
  let sandbox: LauncherSandbox;
  const started: LauncherProcess[] = [];
  const start = (env: Record<string, string> = {}) => {
    const launcher = launch({ env: { ...sandbox.env, LOG_FORMAT: 'json', ...env } });
    started.push(launcher);
    return launcher;
  };
  let first: LauncherProcess;
  let url: string;
  let firstPostgres: number | undefined;

  beforeAll(async () => {
    sandbox = await createLauncherSandbox('second-start');
    first = start();
    url = readyUrl(await first.waitForLine(isReady, START_MS));
    firstPostgres = await postmasterPid(path.join(sandbox.dataDir, 'postgres'));
  }, START_MS + 30_000);
  afterAll(async () => {
    for (const launcher of started) await launcher.stop();
    await sandbox?.cleanup();
  }, 120_000);

  it(
    'exits at once with one line naming the running instance, and the first keeps answering',
    async () => {
      expect(firstPostgres).toBeDefined();
      const second = start();
      expect(await second.exited).toBe(1);
      const printed = second.lines.filter((line) => line.trim());
      expect(printed, printed.join('\n')).toHaveLength(1);
      const message = JSON.parse(printed[0]!) as { level: number; code: string; msg: string };
      expect(message).toMatchObject({ level: 50, code: 'INSTANCE_RUNNING' });
      expect(message.msg).toContain(`is running (pid ${first.pid}) at ${url}`);

      // Nothing of the first was touched: same database server, still serving, and the lock still names it.
      expect(await postmasterPid(path.join(sandbox.dataDir, 'postgres'))).toBe(firstPostgres);
      const answer = await query(url, '{ genres }');
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data).toEqual({ genres: expect.arrayContaining(['Crime']) });
      expect(first.child.exitCode).toBeNull();
    },
    REFUSAL_MS,
  );

  it(
    'with its own data directory but a busy router port, says so in one line before starting anything',
    async () => {
      const otherData = path.join(path.dirname(sandbox.dataDir), 'other-data');
      const third = start({ DATA_DIR: otherData });
      expect(await third.exited).toBe(1);
      const printed = third.lines.filter((line) => line.trim());
      expect(printed, printed.join('\n')).toHaveLength(1);
      expect(JSON.parse(printed[0]!)).toMatchObject({
        code: 'PORT_IN_USE',
        msg: expect.stringContaining(`port ${sandbox.routerPort} on 127.0.0.1 (the router) is already in use`),
      });
      expect(await exists(path.join(otherData, 'postgres'))).toBe(false);
      expect(await exists(path.join(otherData, LOCK_FILE_NAME))).toBe(false);
      expect((await query(url, '{ genres }')).status).toBe(200);
    },
    REFUSAL_MS,
  );

  it(
    'after kill -9 of the launcher, the next start stops the left-over PostgreSQL and takes over',
    async () => {
      process.kill(first.pid, 'SIGKILL');
      await first.exited;
      // The launcher is gone but its database server is not: that is the left-over.
      expect(await postmasterPid(path.join(sandbox.dataDir, 'postgres'))).toBe(firstPostgres);
      expect(await exists(path.join(sandbox.dataDir, LOCK_FILE_NAME))).toBe(true);

      // Its services notice their supervisor is gone and exit; until the router has, its port is busy.
      let next: LauncherProcess | undefined;
      for (let attempt = 0; attempt < 20 && !next; attempt++) {
        const candidate = start();
        const line = await Promise.race([
          candidate.waitForLine((l) => l.includes('PORT_IN_USE') || isReady(l), START_MS),
          candidate.exited.then(() => 'exited'),
        ]);
        if (isReady(line)) next = candidate;
        else await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(next).toBeDefined();
      expect(next!.lines.some((line) => line.includes(`stopping embedded PostgreSQL (pid ${firstPostgres}) left over from an earlier run`))).toBe(true);
      const nowPostgres = await postmasterPid(path.join(sandbox.dataDir, 'postgres'));
      expect(nowPostgres).toBeDefined();
      expect(nowPostgres).not.toBe(firstPostgres);
      expect((await query(url, '{ genres }')).body.data).toEqual({ genres: expect.arrayContaining(['Crime']) });

      // A clean stop removes the lock and the database server.
      await next!.stop();
      expect(await next!.exited).toBe(0);
      expect(await exists(path.join(sandbox.dataDir, LOCK_FILE_NAME))).toBe(false);
      expect(await postmasterPid(path.join(sandbox.dataDir, 'postgres'))).toBeUndefined();
    },
    START_MS * 2,
  );
});

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFreshDatabase, dropDatabase, isCatalogueEmpty } from '../src/index.js';

const command = (name: string) => fileURLToPath(new URL(`../src/cli/${name}-command.ts`, import.meta.url));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the `npm run db:*` commands as its own process, as a user would. */
function runCommand(name: string, args: string[], databaseUrl: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', command(name), ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `db:seed` and `db:import` on a database just created, with no schema at all: each migrates it first. */
describe('db commands on a fresh database', () => {
  const admin = inject('adminDatabaseUrl');
  const created: string[] = [];
  let dataFolder: string;
  const freshDatabase = async (label: string) => {
    const name = `cinema_test_cli_${label}_${Date.now().toString(36)}_${process.pid}`;
    created.push(name);
    return createFreshDatabase(admin, name);
  };

  beforeAll(async () => {
    dataFolder = await mkdtemp(path.join(os.tmpdir(), 'cli-fresh-database-'));
    await writeFile(
      path.join(dataFolder, 'movies-1990s.json'),
      JSON.stringify([
        { title: 'Heat', year: 1995, cast: ['Al Pacino', 'Robert De Niro'], genres: ['Crime'], href: 'Heat_(1995_film)' },
        { title: 'Fargo', year: 1996, cast: ['Frances McDormand'], genres: ['Crime', 'Comedy'], href: 'Fargo_(1996_film)' },
      ]),
    );
  });
  afterAll(async () => {
    await rm(dataFolder, { recursive: true, force: true });
    for (const name of created) await dropDatabase(admin, name).catch(() => undefined);
  });

  it('db:seed migrates every schema, then seeds', async () => {
    const url = await freshDatabase('seed');
    const result = await runCommand('seed', ['--movies', '30', '--users', '10', '--ratings', '100'], url);
    expect(result.code, result.stderr).toBe(0);
    for (const schema of ['movies', 'people', 'ratings']) expect(result.stderr).toMatch(new RegExp(`schema ${schema}: applied \\S+`));
    expect(result.stderr).not.toContain('db:migrate');
    expect(await isCatalogueEmpty(url)).toBe(false);

    // Already migrated: nothing to apply and nothing said about it; the seed's own refusal is what the user sees.
    const again = await runCommand('seed', ['--movies', '30', '--users', '10', '--ratings', '100'], url);
    expect(again.code).toBe(1);
    expect(again.stderr).not.toContain('schema movies');
    expect(again.stderr).toContain('Seed failed');
  });

  it('db:import migrates every schema, then imports', async () => {
    const url = await freshDatabase('import');
    const result = await runCommand('import', [dataFolder], url);
    expect(result.code, result.stderr).toBe(0);
    for (const schema of ['movies', 'people', 'ratings']) expect(result.stderr).toMatch(new RegExp(`schema ${schema}: applied \\S+`));
    expect(await isCatalogueEmpty(url)).toBe(false);
    expect(result.stdout).toMatch(/^imported\s+2$/m);
  });
});

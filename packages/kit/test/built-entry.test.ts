import { mkdtemp, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtEntryOf, builtInputsOf, MissingBuildError, requireBuiltEntry, serviceRuntimeFor } from '../src/built-entry.js';

describe('builtEntryOf', () => {
  it('maps <folder>/src/<path>.ts to <folder>/dist/<path>.js, and a file outside src to a dist/ beside it', () => {
    expect(builtEntryOf('/app/router/src/index.ts')).toBe('/app/router/dist/index.js');
    expect(builtEntryOf('/app/packages/kit/src/tracing/register.ts')).toBe('/app/packages/kit/dist/tracing/register.js');
    expect(builtEntryOf('/app/bench/hive-gateway.ts')).toBe('/app/bench/dist/hive-gateway.js');
  });
});

describe('serviceRuntimeFor', () => {
  it('runs the build only when NODE_ENV is production', () => {
    expect(serviceRuntimeFor({ NODE_ENV: 'production' })).toBe('built');
    for (const NODE_ENV of [undefined, 'development', 'test']) expect(serviceRuntimeFor({ NODE_ENV })).toBe('typescript');
  });
});

describe('requireBuiltEntry', () => {
  let dir: string;
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses a missing build, and a build older than any of its source files', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'built-entry-'));
    const entry = path.join(dir, 'svc', 'src', 'index.ts');
    const helper = path.join(dir, 'svc', 'src', 'helper.ts');
    await mkdir(path.dirname(entry), { recursive: true });
    await writeFile(entry, 'export {};');
    await writeFile(helper, 'export {};');
    expect(() => requireBuiltEntry(entry)).toThrow(MissingBuildError);

    const built = builtEntryOf(entry);
    await mkdir(path.dirname(built), { recursive: true });
    await writeFile(built, '');
    await writeFile(builtInputsOf(built), JSON.stringify([entry, helper]));
    const past = new Date(Date.now() - 60_000);
    await utimes(entry, past, past);
    await utimes(helper, past, past);
    expect(requireBuiltEntry(entry)).toBe(built);

    // An edit to any input, not only the entry, makes the build stale.
    const later = new Date(Date.now() + 60_000);
    await utimes(helper, later, later);
    expect(() => requireBuiltEntry(entry)).toThrow(/npm run build/);
  });
});

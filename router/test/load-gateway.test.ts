import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const routerRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs `script` in a fresh Node process (module caches are per process, and which module loads first is the point),
 * with the router's TypeScript sources through tsx; returns what it printed as JSON.
 */
async function inFreshProcess(script: string): Promise<any> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: routerRoot,
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('loadGateway', () => {
  it("gives the gateway @apollo/federation-internals' functions as plain values, the same ones the getters returned", async () => {
    const result = await inFreshProcess(`
      import { createRequire } from 'node:module';
      import { loadGateway } from './src/load-gateway.ts';
      const require = createRequire(import.meta.url);
      const internalsEntry = createRequire(require.resolve('@apollo/gateway')).resolve('@apollo/federation-internals');
      // The values behind the getters, read before anything is changed.
      const before = { ...require(internalsEntry) };
      const { gateway, flatExports } = await loadGateway();
      const seen = require(internalsEntry);
      const names = Object.keys(before);
      console.log(JSON.stringify({
        flatExports,
        getterOfIsNonNullType: typeof Object.getOwnPropertyDescriptor(seen, 'isNonNullType').get,
        valueOfIsNonNullType: typeof Object.getOwnPropertyDescriptor(seen, 'isNonNullType').value,
        sameValues: names.every((name) => seen[name] === before[name]),
        sameNames: JSON.stringify(Object.keys(seen)) === JSON.stringify(names),
        gateway: typeof gateway.ApolloGateway,
      }));
    `);
    expect(result.flatExports.flattened).toBeGreaterThan(100);
    expect(result.getterOfIsNonNullType).toBe('undefined');
    expect(result.valueOfIsNonNullType).toBe('function');
    expect(result.sameValues).toBe(true);
    expect(result.sameNames).toBe(true);
    expect(result.gateway).toBe('function');
  });

  it('changes nothing when the gateway was loaded first (its modules keep the exports they were given)', async () => {
    const result = await inFreshProcess(`
      import { createRequire } from 'node:module';
      import { loadGateway } from './src/load-gateway.ts';
      const require = createRequire(import.meta.url);
      require('@apollo/gateway');
      const internalsEntry = createRequire(require.resolve('@apollo/gateway')).resolve('@apollo/federation-internals');
      const { flatExports } = await loadGateway();
      console.log(JSON.stringify({ flatExports, getter: typeof Object.getOwnPropertyDescriptor(require(internalsEntry), 'isNonNullType').get }));
    `);
    expect(result).toEqual({ flatExports: null, getter: 'function' });
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@cinema/data-tools';
import { describe, expect, it } from 'vitest';
import { satisfiesNodeRange } from './support/node-range.js';
import { readmeSection } from './support/readme-section.js';

interface LockEntry {
  version?: string;
  engines?: { node?: string };
  os?: string[];
  cpu?: string[];
}

/**
 * `npm ci` prints EBADENGINE for every installed package whose `engines.node` the running Node does not satisfy.
 * The README's "Run it" must name each such package for the oldest Node the project supports, so a newcomer who
 * sees the warning finds why it is harmless; a dependency update that brings a new one fails here.
 */
describe('README explains every npm engine warning on Node 20', () => {
  const root = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const oldestNode = /^>=\s*(\d+\.\d+(?:\.\d+)?)$/.exec(root.engines.node)?.[1];

  it('the range check itself', () => {
    expect(satisfiesNodeRange('20.19.0', '>=22.15.0')).toBe(false);
    expect(satisfiesNodeRange('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfiesNodeRange('20.19.0', '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(true);
    expect(satisfiesNodeRange('20.19.0', '^18.18.0 || ^20.9.0 || >=21.1.0')).toBe(true);
    expect(satisfiesNodeRange('20.19.0', '^20.20.0')).toBe(false);
    expect(satisfiesNodeRange('20.19.0', '6.* || 8.* || >= 10.*')).toBe(true);
    expect(satisfiesNodeRange('20.19.0', '>=9.3.0 || >=8.10.0 <9.0.0')).toBe(true);
    expect(satisfiesNodeRange('20.19.0', '18 || 20 || >=22')).toBe(true);
    expect(satisfiesNodeRange('20.19.0', '18 || >=22')).toBe(false);
    expect(satisfiesNodeRange('20.19.0', '*')).toBe(true);
    expect(() => satisfiesNodeRange('20.19.0', 'node20')).toThrow(/not understood/);
  });

  it(`names each installed package whose engines.node excludes Node ${oldestNode}`, () => {
    expect(oldestNode, `package.json engines.node is ${root.engines.node}`).toBeDefined();
    const warned = Object.entries(lock.packages)
      .filter(([key, entry]) => key !== '' && entry.engines?.node !== undefined)
      .filter(([, entry]) => (!entry.os || entry.os.includes(process.platform)) && (!entry.cpu || entry.cpu.includes(process.arch)))
      .filter(([, entry]) => !satisfiesNodeRange(oldestNode!, entry.engines!.node!))
      .map(([key]) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length));
    const section = readmeSection('Run it');
    expect([...new Set(warned)].filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
  });
});

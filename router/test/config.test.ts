import { ConfigError } from '@cinema/kit/config';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRouterConfig, replicaSourcesFor, subgraphTimeoutMs } from '../src/config.js';
import { supergraphSubgraphNames } from '../src/supergraph-subgraph-names.js';

describe('router balancing configuration', () => {
  it('takes fixed URLs and dns:// names per subgraph, and falls back to the routing URL', () => {
    const config = loadRouterConfig({ SUBGRAPH_MOVIES_URLS: 'http://127.0.0.1:4001/graphql, dns://movies:4001/graphql' });
    expect(replicaSourcesFor(config, 'movies', 'http://ignored/graphql')).toEqual([
      { kind: 'static', url: 'http://127.0.0.1:4001/graphql' },
      { kind: 'dns', hostname: 'movies', port: 4001, path: '/graphql', entry: 'dns://movies:4001/graphql' },
    ]);
    expect(replicaSourcesFor(config, 'people', 'http://127.0.0.1:4002/graphql')).toEqual([{ kind: 'static', url: 'http://127.0.0.1:4002/graphql' }]);
  });

  it('has a default timeout with per-subgraph overrides', () => {
    const config = loadRouterConfig({ SUBGRAPH_TIMEOUT_MS: '1500', SUBGRAPH_RATINGS_TIMEOUT_MS: '300' });
    expect(subgraphTimeoutMs(config, 'movies')).toBe(1500);
    expect(subgraphTimeoutMs(config, 'ratings')).toBe(300);
    expect(config.balancing).toEqual({
      healthCheck: { intervalMs: 2000, timeoutMs: 1000, path: '/health' },
      ejection: { consecutiveFailures: 3, baseEjectionMs: 1000, maxEjectionMs: 30_000 },
      retryBudget: { ratio: 0.1, minPerSecond: 10 },
      dnsRefreshMs: 5000,
      connectionsPerReplica: 128,
      heavyRequests: { perReplica: 2, minBytes: 16_384 },
      hedge: { enabled: true, quantile: 0.95, minDelayMs: 20, maxDelayMs: 1000 },
      mergeInFlight: true,
    });
  });

  it('derives the per-subgraph variables from the supergraph, so a new subgraph needs no router change', () => {
    const config = loadRouterConfig({ SUBGRAPH_VIEWING_URLS: 'http://127.0.0.1:4104/graphql', SUBGRAPH_VIEWING_TIMEOUT_MS: '700' });
    expect(replicaSourcesFor(config, 'viewing', undefined)).toEqual([{ kind: 'static', url: 'http://127.0.0.1:4104/graphql' }]);
    expect(subgraphTimeoutMs(config, 'viewing')).toBe(700);

    // A supergraph with a subgraph the router has never heard of.
    const dir = mkdtempSync(path.join(tmpdir(), 'supergraph-'));
    try {
      const supergraph = path.join(dir, 'supergraph.graphql');
      writeFileSync(
        supergraph,
        `enum join__Graph {
          MOVIES @join__graph(name: "movies", url: "http://127.0.0.1:4001/graphql")
          WATCH_HISTORY @join__graph(name: "watch_history", url: "http://127.0.0.1:4009/graphql")
        }`,
      );
      const custom = loadRouterConfig({
        SUPERGRAPH_PATH: supergraph,
        SUBGRAPH_WATCH_HISTORY_URLS: 'dns://history:4009/graphql',
        SUBGRAPH_WATCH_HISTORY_TIMEOUT_MS: '900',
      });
      expect(Object.keys(custom.subgraphUrls)).toEqual(['movies', 'watch_history']);
      expect(replicaSourcesFor(custom, 'watch_history', 'http://ignored/graphql')).toEqual([
        { kind: 'dns', hostname: 'history', port: 4009, path: '/graphql', entry: 'dns://history:4009/graphql' },
      ]);
      expect(subgraphTimeoutMs(custom, 'watch_history')).toBe(900);
      expect(() => loadRouterConfig({ SUPERGRAPH_PATH: path.join(dir, 'missing.graphql') })).toThrow(/SUPERGRAPH_PATH/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the subgraph names composition gave the committed supergraph', () => {
    const sdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
    expect(supergraphSubgraphNames(sdl)).toEqual(['movies', 'people', 'ratings', 'viewing']);
  });

  it('waits long for a slow subgraph by default, and hedges and merges unless told not to', () => {
    const defaults = loadRouterConfig({});
    expect(subgraphTimeoutMs(defaults, 'ratings')).toBe(30_000);
    const tuned = loadRouterConfig({
      SUBGRAPH_HEDGE: 'false',
      SUBGRAPH_HEDGE_PERCENTILE: '99',
      SUBGRAPH_HEDGE_MIN_DELAY_MS: '5',
      SUBGRAPH_HEDGE_MAX_DELAY_MS: '200',
      SUBGRAPH_MERGE_IN_FLIGHT: 'false',
    });
    expect(tuned.balancing.hedge).toEqual({ enabled: false, quantile: 0.99, minDelayMs: 5, maxDelayMs: 200 });
    expect(tuned.balancing.mergeInFlight).toBe(false);
  });

  it('refuses malformed settings, naming the variable', () => {
    const issues = (env: NodeJS.ProcessEnv) => {
      try {
        loadRouterConfig(env);
      } catch (error) {
        if (error instanceof ConfigError) return error.issues.join('\n');
      }
      return '';
    };
    expect(issues({ SUBGRAPH_PEOPLE_URLS: 'people:4002' })).toContain('SUBGRAPH_PEOPLE_URLS');
    expect(issues({ SUBGRAPH_PEOPLE_URLS: ' , ' })).toContain('SUBGRAPH_PEOPLE_URLS');
    expect(issues({ SUBGRAPH_TIMEOUT_MS: '0' })).toContain('SUBGRAPH_TIMEOUT_MS');
    expect(issues({ SUBGRAPH_EJECT_BASE_MS: '5000', SUBGRAPH_EJECT_MAX_MS: '1000' })).toContain('SUBGRAPH_EJECT_MAX_MS');
    expect(issues({ SUBGRAPH_RETRY_BUDGET_RATIO: '2' })).toContain('SUBGRAPH_RETRY_BUDGET_RATIO');
    expect(issues({ SUBGRAPH_VIEWING_TIMEOUT_MS: '0' })).toContain('SUBGRAPH_VIEWING_TIMEOUT_MS');
    // A misspelt subgraph would silently stay on its routing URL; both problems are reported together.
    const both = issues({ SUBGRAPH_VEIWING_URLS: 'http://127.0.0.1:4104/graphql', SUBGRAPH_TIMEOUT_MS: '0' });
    expect(both).toContain('SUBGRAPH_VEIWING_URLS');
    expect(both).toContain('SUBGRAPH_TIMEOUT_MS');
    expect(issues({ SUBGRAPH_HEDGE_PERCENTILE: '100' })).toContain('SUBGRAPH_HEDGE_PERCENTILE');
    expect(issues({ SUBGRAPH_HEDGE_MIN_DELAY_MS: '500', SUBGRAPH_HEDGE_MAX_DELAY_MS: '100' })).toContain('SUBGRAPH_HEDGE_MAX_DELAY_MS');
  });
});

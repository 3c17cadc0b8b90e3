import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { loadChunkServerConfig } from '../../chunk-server/src/config.js';
import { loadRouterConfig } from '../../router/src/config.js';
import { validateComposeSpec } from './support/compose-spec-validator.js';
import { findComposeCli } from './support/find-compose-cli.js';
import { loadComposeFile, type ComposeFile, type ComposeService } from './support/load-compose-file.js';
import { feedConsumers, platformSubgraphs, subgraphConfigLoaders } from './support/platform-subgraphs.js';
import { repoRoot } from './support/repo-paths.js';

const composePath = path.join(repoRoot, 'docker-compose.yml');
const compose = loadComposeFile(composePath);
const services = Object.entries(compose.services);
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};
/** The environment a container gets: null entries pass the host's variable through, unset here. */
const containerEnv = (definition: ComposeService, host: Record<string, string> = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries(definition.environment ?? {}).flatMap(([key, value]) => {
      if (value !== null) return [[key, String(value)]];
      return host[key] === undefined ? [] : [[key, host[key]]];
    }),
  );
const oneShot = (definition: ComposeService) => definition.restart === 'no';
const nodeServices = [...platformSubgraphs, 'chunk-server', 'router'];
const composeCli = findComposeCli();

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification JSON schema', () => {
    expect(validateComposeSpec(compose)).toEqual([]);
  });

  it.skipIf(!composeCli)('is accepted by the Compose command line (`config -q`, no engine needed), in development and production', () => {
    const [program = '', ...args] = composeCli ?? [];
    for (const env of [{}, { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), SUBGRAPH_SECRET: 'g'.repeat(40), STREAM_KEYS: `k1:${'s'.repeat(40)}` }]) {
      const result = spawnSync(program, [...args, '-f', composePath, 'config', '-q'], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, ...env },
      });
      expect(result.stderr.trim(), JSON.stringify(env)).toBe('');
      expect(result.status).toBe(0);
    }
  });

  it('the schema check is not vacuous: it rejects a misspelt key, a bad condition and a non-numeric replica count', () => {
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.router!.helthcheck = broken.services.router!.healthcheck;
    broken.services.movies!.deploy = { replicas: 'two' };
    broken.services.router!.depends_on = { movies: { condition: 'service_ready' } };
    const errors = validateComposeSpec(broken);
    expect(errors).toContainEqual(expect.stringMatching(/^\/services\/router must NOT have additional properties .*helthcheck/));
    expect(errors).toContainEqual(expect.stringMatching(/^\/services\/movies\/deploy\/replicas must be integer/));
    expect(errors).toContainEqual(expect.stringMatching(/^\/services\/router\/depends_on\/movies\/condition must be equal to one of the allowed values/));
  });

  it('runs the whole platform: databases, one-shot jobs, every subgraph, chunk server and router', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['chunk-server', 'media', 'migrate', ...platformSubgraphs, 'postgres', 'redis', 'router'].sort());
  });

  it('runs at least two replicas of every subgraph and of the chunk server', () => {
    for (const name of [...platformSubgraphs, 'chunk-server']) expect(service(name).deploy?.replicas, name).toBeGreaterThanOrEqual(2);
  });

  it('health-checks every long-running service, the Node ones on GET /health of their own PORT', () => {
    for (const [name, definition] of services) {
      if (oneShot(definition)) {
        expect(definition.healthcheck, `${name} is a one-shot job`).toEqual({ disable: true });
        continue;
      }
      expect(definition.healthcheck?.test, name).toBeDefined();
      expect(definition.healthcheck?.disable, name).toBeUndefined();
    }
    for (const name of nodeServices) {
      const test = service(name).healthcheck?.test?.join(' ') ?? '';
      expect(test, name).toContain("'http://127.0.0.1:'+process.env.PORT+'/health'");
      expect(containerEnv(service(name)).PORT, name).toMatch(/^\d+$/);
    }
  });

  it('starts in dependency order: conditions on every dependency, jobs completed, services healthy', () => {
    for (const [name, definition] of services) {
      const dependsOn = definition.depends_on ?? {};
      expect(Array.isArray(dependsOn), `${name}: depends_on needs conditions`).toBe(false);
      for (const [dependency, { condition }] of Object.entries(dependsOn as Record<string, { condition: string }>)) {
        expect(oneShot(service(dependency)) ? 'service_completed_successfully' : 'service_healthy', `${name} → ${dependency}`).toBe(condition);
      }
    }
    const dependencies = (name: string) => Object.keys(service(name).depends_on ?? {}).sort();
    expect(dependencies('migrate')).toEqual(['postgres']);
    for (const name of platformSubgraphs) expect(dependencies(name)).toContain('migrate');
    for (const name of feedConsumers) expect(dependencies(name)).toContain('movies');
    expect(dependencies('chunk-server')).toEqual(['media']);
    expect(dependencies('router')).toEqual([...platformSubgraphs].sort());
  });

  it('pins every image, builds only Dockerfile targets that exist, and runs nothing privileged', () => {
    const stages = new Set(
      DockerfileParser.parse(readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8'))
        .getFROMs()
        .map((from) => from.getBuildStage()),
    );
    for (const [name, definition] of services) {
      expect(definition.image, name).toMatch(/^[a-z0-9./-]+:[\w.-]+$/);
      expect(definition.image, name).not.toMatch(/:latest$/);
      expect(definition.privileged ?? false, name).toBe(false);
      if (definition.build) {
        expect(definition.build.context, name).toBe('.');
        expect(stages.has(definition.build.target ?? ''), `${name}: target ${definition.build.target}`).toBe(true);
        expect(definition.image, name).toBe(`cinema-graph/${definition.build.target}:0.1.0`);
        expect(definition.read_only, `${name} runs with a read-only root filesystem`).toBe(true);
      }
      for (const argument of definition.command ?? []) {
        if (argument.endsWith('.ts')) expect(existsSync(path.join(repoRoot, argument)), `${name}: ${argument}`).toBe(true);
      }
    }
  });

  it('gives every service an environment its own config schema accepts, in development and production', () => {
    const loaders: Record<string, (env: NodeJS.ProcessEnv) => unknown> = {
      ...subgraphConfigLoaders,
      'chunk-server': loadChunkServerConfig,
      router: loadRouterConfig,
    };
    const production = { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), SUBGRAPH_SECRET: 'g'.repeat(40), STREAM_KEYS: `k1:${'s'.repeat(40)}` };
    for (const [name, load] of Object.entries(loaders)) {
      expect(() => load(containerEnv(service(name))), `${name} (development defaults)`).not.toThrow();
      const productionCompose = loadComposeFile(composePath, production);
      expect(() => load(containerEnv(productionCompose.services[name]!, production)), `${name} (NODE_ENV=production)`).not.toThrow();
    }
  });

  it("keeps Apollo's usage telemetry off: the router as composed sends nothing to Apollo or to cloud metadata endpoints", () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), SUBGRAPH_SECRET: 'g'.repeat(40) };
    expect(loadRouterConfig(containerEnv(service('router'))).APOLLO_TELEMETRY).toBe(false);
    expect(loadRouterConfig(containerEnv(loadComposeFile(composePath, production).services.router!, production)).APOLLO_TELEMETRY).toBe(false);
  });

  it('smuggles in no default secret: production without JWT_SECRET or STREAM_KEYS stops the router and chunk server', () => {
    const productionCompose: ComposeFile = loadComposeFile(composePath, { NODE_ENV: 'production' });
    expect(() => loadRouterConfig(containerEnv(productionCompose.services.router!))).toThrow(/JWT_SECRET is required when NODE_ENV=production/);
    expect(() => loadChunkServerConfig(containerEnv(productionCompose.services['chunk-server']!))).toThrow(
      /STREAM_KEYS must be set to real secrets in production/,
    );
    for (const name of platformSubgraphs.filter((subgraph) => subgraph !== 'movies')) {
      expect(() => subgraphConfigLoaders[name]!(containerEnv(productionCompose.services[name]!)), name).toThrow(
        /SUBGRAPH_SECRET is required when NODE_ENV=production/,
      );
    }
  });

  it('wires services to each other by Compose DNS name and the port each one listens on', () => {
    const portOf = (name: string) => containerEnv(service(name)).PORT;
    const router = containerEnv(service('router'));
    for (const subgraph of platformSubgraphs) {
      const url = new URL(router[`SUBGRAPH_${subgraph.toUpperCase()}_URLS`] ?? '');
      expect([url.protocol, url.hostname, url.port, url.pathname]).toEqual(['dns:', subgraph, portOf(subgraph), '/graphql']);
    }
    expect(feedConsumers).toContain('ratings');
    for (const name of feedConsumers) {
      const feed = new URL(containerEnv(service(name)).MOVIES_FEED_URL ?? '');
      expect([feed.hostname, feed.port], name).toEqual(['movies', portOf('movies')]);
    }

    const postgres = containerEnv(service('postgres'));
    for (const name of ['migrate', ...platformSubgraphs]) {
      const database = new URL(containerEnv(service(name)).DATABASE_URL ?? '');
      expect([database.hostname, database.port, database.username, database.password, database.pathname], name).toEqual([
        'postgres',
        '5432',
        postgres.POSTGRES_USER,
        postgres.POSTGRES_PASSWORD,
        `/${postgres.POSTGRES_DB}`,
      ]);
    }
    expect(service('media').volumes).toEqual(['media:/media']);
    expect(service('chunk-server').volumes).toEqual(['media:/media:ro']);
    expect(containerEnv(service('media')).MEDIA_ROOT).toBe('/media');
    expect(containerEnv(service('chunk-server')).MEDIA_ROOT).toBe('/media');
  });
});

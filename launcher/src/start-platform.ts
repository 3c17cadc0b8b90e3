import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import {
  importWikipediaMovies,
  isCatalogueEmpty,
  migrateAll,
  readPlatformSubgraphs,
  repoRoot,
  seedDatabase,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '@cinema/data-tools';
import { startServiceProcess, type ServiceProcess, type ServiceProcessOptions } from '@cinema/kit/service-process';
import type { LauncherConfig } from './config.js';
import { assertPortFree } from './port-in-use.js';
import { prepareDemoMedia } from './prepare-demo-media.js';
import { reservePorts } from './reserve-port.js';
import { stopStalePostgres } from './stale-postgres.js';

export interface RunningPlatform {
  routerUrl: string;
  databaseUrl: string;
  services: ServiceProcess[];
  /** Settles once the demo videos exist and are assigned to the catalogue (or streaming is known to be off). */
  mediaReady: Promise<void>;
  /** Stops the router, then the subgraphs, then the embedded database; never throws. */
  stop(): Promise<void>;
  /**
   * Replaces one service process with a fresh one on the same address, as one step of a rolling restart: SIGTERM (the
   * service stops accepting and finishes what it has in flight) unless it is already gone, then the same entry and
   * environment on the same port, so the router's replica list stays valid. Resolves with the new process.
   */
  restartService(service: ServiceProcess): Promise<ServiceProcess>;
}

/** How long a service process may take to listen. */
const SERVICE_READY_TIMEOUT_MS = 120_000;

const entry = (service: string) => path.join(repoRoot, service, 'src', 'index.ts');

export interface StartPlatformOptions {
  /** Where the services' output goes: inherited (the terminal) by default; `pipe` lets a test read their logs. */
  stdio?: ServiceProcessOptions['stdio'];
  /** Called as each service process (or its replacement after a restart) is ready, e.g. to read its piped output. */
  onServiceStarted?: (service: ServiceProcess) => void;
  /** Called as each service process is created, before it is ready: reads its piped output from the first line. */
  onServiceSpawned?: (name: string, child: ChildProcess) => void;
  /** Awaited before the router starts, which reads the web app's build once: `npm start` builds it meanwhile. */
  beforeRouter?: Promise<unknown>;
}

/**
 * Brings up the whole platform on one machine: database (given or embedded), migrations, seed when empty, every
 * subgraph replica as its own process, then the router pointed at them. If any step fails, whatever already
 * started is stopped before the error propagates, so a failed start leaves no processes or ports behind.
 */
export async function startPlatform(config: LauncherConfig, log: (line: string) => void, platformOptions: StartPlatformOptions = {}): Promise<RunningPlatform> {
  const services: ServiceProcess[] = [];
  const launchOptions = new Map<ServiceProcess, ServiceProcessOptions>();
  const launch = async (serviceOptions: ServiceProcessOptions): Promise<ServiceProcess> => {
    const { stdio, onServiceSpawned } = platformOptions;
    const options: ServiceProcessOptions = {
      // A service that crashes says so at once (its exit); this only bounds one that hangs. Loading the TypeScript
      // of nine processes at once takes well over the default 30 s on a busy 2-core machine.
      readyTimeoutMs: SERVICE_READY_TIMEOUT_MS,
      ...serviceOptions,
      ...(stdio ? { stdio } : {}),
      ...(onServiceSpawned ? { onSpawn: (child: ChildProcess) => onServiceSpawned(serviceOptions.name, child) } : {}),
    };
    const started = await startServiceProcess(options);
    platformOptions.onServiceStarted?.(started);
    services.push(started);
    launchOptions.set(started, options);
    return started;
  };
  const restartService = async (service: ServiceProcess): Promise<ServiceProcess> => {
    const options = launchOptions.get(service);
    if (!options) throw new Error(`${service.name} (pid ${service.pid}) was not started by this platform`);
    await service.stop();
    const restarted = await startServiceProcess({ ...options, env: { ...options.env, PORT: new URL(service.url).port } });
    platformOptions.onServiceStarted?.(restarted);
    services.splice(services.indexOf(service), 1, restarted);
    launchOptions.delete(service);
    launchOptions.set(restarted, options);
    return restarted;
  };
  let embedded: EmbeddedPostgresHandle | undefined;
  const mediaAbort = new AbortController();
  let mediaReady: Promise<void> = Promise.resolve();
  const stop = async (): Promise<void> => {
    mediaAbort.abort();
    await mediaReady;
    const router = services.filter((s) => s.name === 'router');
    await Promise.all(router.map((s) => s.stop()));
    await Promise.all(services.filter((s) => s.name !== 'router').map((s) => s.stop()));
    // Ctrl-C in a terminal also signals the database directly; it may be gone already.
    if (embedded) await Promise.race([embedded.stop(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  };

  try {
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const dataDir = path.join(config.DATA_DIR, 'postgres');
      await stopStalePostgres(dataDir, log);
      await assertPortFree('127.0.0.1', config.EMBEDDED_PG_PORT, 'EMBEDDED_PG_PORT', 'the embedded PostgreSQL');
      log(`starting embedded PostgreSQL on 127.0.0.1:${config.EMBEDDED_PG_PORT} (data in ${path.relative(process.cwd(), dataDir) || dataDir})`);
      embedded = await startEmbeddedPostgres({ dataDir, port: config.EMBEDDED_PG_PORT, database: 'cinema' });
      databaseUrl = embedded.url;
    }
    await migrateAll(databaseUrl, log);
    if (await isCatalogueEmpty(databaseUrl)) {
      if (config.SEED_FROM) {
        log(`empty catalogue: importing ${config.SEED_FROM}`);
        await importWikipediaMovies(databaseUrl, config.SEED_FROM, { onProgress: log });
      } else {
        log('empty catalogue: seeding synthetic data');
        await seedDatabase(databaseUrl, { onProgress: log });
      }
    }

    const baseEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: config.LOG_LEVEL,
      ...(config.REDIS_URL ? { REDIS_URL: config.REDIS_URL } : {}),
      ...(config.CACHE_KEY_PREFIX ? { CACHE_KEY_PREFIX: config.CACHE_KEY_PREFIX } : {}),
    };
    const mediaRoot = path.join(config.DATA_DIR, 'media');
    // Demo videos take a while to encode the first time; the graph does not wait for them.
    if (config.DEMO_VIDEOS > 0) mediaReady = prepareDemoMedia({ databaseUrl, mediaRoot, count: config.DEMO_VIDEOS, log, signal: mediaAbort.signal });
    // Every address is known before anything starts, so all services start at once: the slowest start, not the
    // sum of a dependency chain, is what the user waits for. The subgraphs are those of schema/supergraph.yaml.
    const subgraphs = readPlatformSubgraphs();
    const chunkCount = config.DEMO_VIDEOS > 0 ? config.REPLICAS : 0;
    const reserved = await reservePorts(chunkCount + subgraphs.length * config.REPLICAS);
    const chunkPorts = reserved.slice(0, chunkCount);
    const portsOf = new Map(subgraphs.map((name, k) => [name, reserved.slice(chunkCount + k * config.REPLICAS, chunkCount + (k + 1) * config.REPLICAS)]));
    const urlOf = (port: number) => `http://127.0.0.1:${port}`;
    // What services of the platform need from each other, given to every subgraph (each config reads what it uses):
    // the chunk servers (movies) and the movies service's catalogue feed (ratings, viewing).
    const platformEnv: NodeJS.ProcessEnv = {
      CHUNK_SERVER_URLS: chunkPorts.map(urlOf).join(','),
      ...(portsOf.has('movies') ? { MOVIES_FEED_URL: portsOf.get('movies')!.map(urlOf).join(',') } : {}),
    };
    const start = (service: string, entryPath: string, env: NodeJS.ProcessEnv, port: number, i: number) =>
      launch({ name: service, entry: entry(entryPath), env: { ...baseEnv, ...env, PORT: String(port) } }).then((started) => {
        log(`${service} #${i + 1} listening on ${started.url} (pid ${started.pid})`);
        return started;
      });
    const [, ...replicaSets] = await Promise.all([
      // Every chunk server knows all of them, to list them as redundant streams in its master playlists (failover).
      Promise.all(
        chunkPorts.map((port, i) =>
          start('chunk-server', 'chunk-server', { MEDIA_ROOT: mediaRoot, CHUNK_SERVER_PEERS: chunkPorts.map(urlOf).join(',') }, port, i),
        ),
      ),
      ...subgraphs.map((name) => Promise.all(portsOf.get(name)!.map((port, i) => start(name, path.join('subgraphs', name), platformEnv, port, i)))),
    ]);
    const graphqlUrls = (list: ServiceProcess[]) => list.map((s) => `${s.url}/graphql`).join(',');
    await platformOptions.beforeRouter;
    const router = await launch({
      name: 'router',
      entry: entry('router'),
      env: {
        ...baseEnv,
        HOST: config.HOST,
        PORT: String(config.PORT),
        ...Object.fromEntries(subgraphs.map((name, k) => [`SUBGRAPH_${name.toUpperCase()}_URLS`, graphqlUrls(replicaSets[k]!)])),
        // The web app's page may stream from the chunk servers (its CSP names them).
        WEB_APP_MEDIA_ORIGINS: chunkPorts.map(urlOf).join(','),
        ...(config.RATE_LIMIT !== undefined ? { RATE_LIMIT: String(config.RATE_LIMIT) } : {}),
      },
    });
    return { routerUrl: `${router.url}/graphql`, databaseUrl, services, mediaReady, stop, restartService };
  } catch (error) {
    await stop();
    throw error;
  }
}

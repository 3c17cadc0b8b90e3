import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '@redis/client';
import { assignDemoAssets, migrateAll, seedDatabase } from '@cinema/data-tools';
import { DEVELOPMENT_JWT_SECRET } from '@cinema/kit/config';
import { signDevToken } from '../../../router/src/dev-token.js';
import { loadDeployedSettings, type DeployedSettings } from './deployed-settings.js';
import { LabDns, LAB_DNS_TTL_SECONDS } from './lab-dns.js';
import { startLabForwarder, type LabForwarder } from './lab-forwarder.js';
import { startLabNodeService, type LabNodeService } from './lab-node-service.js';
import { startLabPostgres } from './lab-postgres.js';
import { startLabRedis } from './lab-redis.js';
import { LAB_DNS_ADDRESS, NetworkLab, type LabHost } from './network-lab.js';
import { LabGraphqlClient } from './query-stream.js';

/** A small catalogue: enough movies for distinct queries and assets, seeded in a second or two. */
const LAB_SEED = { movies: 200, people: 400, castPerMovie: 4, users: 100, ratings: 2_000 };
/** Demo asset ids given to the movies round robin, so stream URLs spread over the chunk servers' hash ring. */
const LAB_ASSETS = Array.from({ length: 12 }, (_, i) => `lab-asset-${i + 1}`);

export interface MultiHostPlatform {
  lab: NetworkLab;
  dns: LabDns;
  settings: DeployedSettings;
  /** The client machine, where the test's forwarders run. */
  client: LabHost;
  router: LabNodeService;
  /** Movies replicas by host name (`movies-1`, ...), the ones in DNS and the spare. */
  movies: Map<string, LabNodeService>;
  /** Movies replicas started but not published in DNS, for the scale-out scenario. */
  spareMovies: string[];
  chunkServers: Map<string, LabNodeService>;
  redisHost: LabHost;
  /** GraphQL to the router, from the client machine. */
  routerClient: LabGraphqlClient;
  /** A Redis client to the lab's Redis, from the client machine. */
  redis: ReturnType<typeof createClient>;
  /** Movie ids of the seeded catalogue. */
  movieIds: string[];
  /** The router's replica URL for a movies host (`http://10.231.0.9:4001/graphql`). */
  moviesReplicaUrl(host: LabHost): string;
  /** Requests a service has served on `/graphql`, read from its own `/metrics` through a forwarder. */
  graphqlRequestsServed(service: LabNodeService): Promise<number>;
  token(userId: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The platform spread over lab hosts as Compose would run it: PostgreSQL, Redis and the DNS server each on a host of
 * their own, every replica of every subgraph (schema/supergraph.yaml) and chunk server on its own host, the router on another, and a client machine.
 * Services get their environment from `docker-compose.yml` (service names, ports, URLs), and the router finds the
 * subgraphs through the `dns://` entries Compose gives it, answered by the lab's dnsmasq. `spareMovies` extra movies
 * replicas run but are not in DNS, for a test to publish.
 */
export async function startMultiHostPlatform(options: { spareMovies: number; log?: (line: string) => void }): Promise<MultiHostPlatform> {
  const began = performance.now();
  const log = (line: string) => options.log?.(`[multi-host +${((performance.now() - began) / 1000).toFixed(1)} s] ${line}`);
  const settings = loadDeployedSettings();
  const { ports, environment } = settings;
  const lab = await NetworkLab.create();
  const forwarders = new Map<string, Promise<LabForwarder>>();
  let routerClient: LabGraphqlClient | undefined;
  let redis: ReturnType<typeof createClient> | undefined;
  try {
    const dnsHost = await lab.addHost('dns');
    if (dnsHost.address !== LAB_DNS_ADDRESS) throw new Error('the DNS host must be the first host of the lab');
    const dns = await LabDns.start(lab, dnsHost);
    // Hosts are independent: create them at once (each is a handful of `ip` commands).
    const hostsOf = (service: string, count: number) => Promise.all(Array.from({ length: count }, (_, i) => lab.addHost(`${service}-${i + 1}`)));
    // Every subgraph of schema/supergraph.yaml, with as many replicas as Compose runs (with one, a replica slowed down
    // by a busy machine could not be retried); movies also gets the spares.
    const otherSubgraphs = settings.subgraphs.filter((name) => name !== 'movies');
    const moviesReplicas = settings.replicas.movies!;
    const [[postgresHost, redisHost, client, routerHost], moviesHosts, chunkHosts, otherHosts] = await Promise.all([
      Promise.all(['postgres', 'redis', 'client', 'router'].map((name) => lab.addHost(name))),
      hostsOf('movies', moviesReplicas + options.spareMovies),
      hostsOf('chunk-server', settings.replicas['chunk-server']),
      Promise.all(otherSubgraphs.map((name) => hostsOf(name, settings.replicas[name]!))),
    ]);
    const published = moviesHosts.slice(0, moviesReplicas);
    const subgraphHosts = new Map<string, LabHost[]>([['movies', published], ...otherSubgraphs.map((name, i) => [name, otherHosts[i]!] as const)]);

    // The names the services use, exactly as Compose's DNS would answer them. Chunk servers get one name each: the
    // movies service balances over their URLs itself (CHUNK_SERVER_URLS), so each replica must be addressable.
    const moviesEnvironment = environment.movies!;
    const database = new URL(moviesEnvironment.DATABASE_URL!);
    await dns.setAll({
      [database.hostname]: [postgresHost!.address],
      [new URL(environment.router.REDIS_URL!).hostname]: [redisHost!.address],
      ...Object.fromEntries([...subgraphHosts].map(([name, hosts]) => [name, hosts.map((host) => host.address)])),
      ...Object.fromEntries(chunkHosts.map((host) => [host.name, [host.address]])),
    });

    const user = decodeURIComponent(database.username);
    const password = decodeURIComponent(database.password);
    const databaseName = database.pathname.slice(1);
    log('hosts and DNS ready');
    const postgres = await startLabPostgres(lab, postgresHost!, ports.postgres, { user, password, database: databaseName });
    const localDatabaseUrl = postgres.localUrl(user, password, databaseName);
    log('PostgreSQL ready');
    await migrateAll(localDatabaseUrl, () => undefined);
    await seedDatabase(localDatabaseUrl, { scale: LAB_SEED });
    await assignDemoAssets(localDatabaseUrl, LAB_ASSETS);
    log('database migrated and seeded');
    await startLabRedis(lab, redisHost!, ports.redis);

    const mediaRoot = path.join(lab.dir, 'media');
    mkdirSync(mediaRoot);
    const chunkServerPort = ports['chunk-server'];
    const chunkServers = new Map<string, LabNodeService>();
    const movies = new Map<string, LabNodeService>();
    const moviesEnv = { ...moviesEnvironment, CHUNK_SERVER_URLS: chunkHosts.map((host) => `http://${host.name}:${chunkServerPort}`).join(',') };
    const startSubgraphs = (names: readonly string[]) =>
      names.flatMap((name) =>
        subgraphHosts.get(name)!.map((host) => startLabNodeService(lab, host, host.name, `subgraphs/${name}`, environment[name]!, ports[name]!)),
      );
    // Subgraphs that read the movies service's catalogue feed (MOVIES_FEED_URL, Compose's `depends_on: movies`) start
    // once the movies replicas answer.
    const feedConsumers = otherSubgraphs.filter((name) => environment[name]!.MOVIES_FEED_URL !== undefined);
    await Promise.all([
      ...chunkHosts.map(async (host) =>
        chunkServers.set(
          host.name,
          await startLabNodeService(lab, host, host.name, 'chunk-server', { ...environment['chunk-server'], MEDIA_ROOT: mediaRoot }, chunkServerPort),
        ),
      ),
      ...moviesHosts.map(async (host) => movies.set(host.name, await startLabNodeService(lab, host, host.name, 'subgraphs/movies', moviesEnv, ports.movies!))),
      ...startSubgraphs(otherSubgraphs.filter((name) => !feedConsumers.includes(name))),
    ]);
    await Promise.all(startSubgraphs(feedConsumers));
    log('subgraphs and chunk servers ready');
    const router = await startLabNodeService(lab, routerHost!, 'router', 'router', environment.router, ports.router);

    log('router ready');
    const forwarderTo = (label: string, address: string, port: number) => {
      let forwarder = forwarders.get(label);
      if (!forwarder) {
        forwarder = startLabForwarder(lab, client!, label, address, port);
        forwarders.set(label, forwarder);
      }
      return forwarder;
    };
    routerClient = new LabGraphqlClient((await forwarderTo('router', routerHost!.address, ports.router)).socketPath, `http://router:${ports.router}`);
    const redisForwarder = await forwarderTo('redis', redisHost!.address, ports.redis);
    redis = createClient({ socket: { path: redisForwarder.socketPath, reconnectStrategy: 100, connectTimeout: 2_000 }, disableOfflineQueue: true });
    redis.on('error', () => undefined);
    await redis.connect();

    const servedClients = new Map<string, LabGraphqlClient>();
    const graphqlRequestsServed = async (service: LabNodeService) => {
      let metricsClient = servedClients.get(service.label);
      if (!metricsClient) {
        const forwarder = await forwarderTo(`metrics-${service.label}`, service.host.address, Number(new URL(service.url).port));
        metricsClient = new LabGraphqlClient(forwarder.socketPath, service.url);
        servedClients.set(service.label, metricsClient);
      }
      const { text } = await metricsClient.get('/metrics');
      return text
        .split('\n')
        .filter((line) => line.startsWith('http_server_request_duration_seconds_count{') && line.includes('route="/graphql"'))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    };

    const catalogue = await routerClient.post<{ movies: { edges: { node: { id: string } }[] } }>({ query: '{ movies(first: 100) { edges { node { id } } } }' });
    const movieIds = catalogue.body.data?.movies.edges.map((edge) => edge.node.id) ?? [];
    if (movieIds.length === 0) throw new Error(`the router answered no movies: ${JSON.stringify(catalogue.body).slice(0, 500)}`);

    const openedRedis = redis;
    const openedRouterClient = routerClient;
    return {
      lab,
      dns,
      settings,
      client: client!,
      router,
      movies,
      spareMovies: moviesHosts.slice(moviesReplicas).map((host) => host.name),
      chunkServers,
      redisHost: redisHost!,
      routerClient,
      redis,
      movieIds,
      moviesReplicaUrl: (host) => `http://${host.address}:${ports.movies!}/graphql`,
      graphqlRequestsServed,
      token: (userId) => signDevToken(userId, DEVELOPMENT_JWT_SECRET),
      stop: async () => {
        if (openedRedis.isOpen) openedRedis.destroy();
        await openedRouterClient.close().catch(() => undefined);
        await Promise.all([...servedClients.values()].map((metricsClient) => metricsClient.close().catch(() => undefined)));
        await lab.destroy();
      },
    };
  } catch (error) {
    if (redis?.isOpen) redis.destroy();
    await routerClient?.close().catch(() => undefined);
    await lab.destroy();
    throw error;
  }
}

export { LAB_DNS_TTL_SECONDS };

/**
 * A peer of the gateway benchmark: Hive Gateway (`@graphql-hive/gateway`) over the committed supergraph, with its
 * JavaScript query planner or, with `HIVE_ROUTER_RUNTIME=true`, the Rust query planner and executor of
 * `@graphql-hive/router-runtime` (what the CLI's `--hive-router-runtime` loads). One process, like the router:
 * the runtime served by Node's HTTP server, with its defaults (in-flight deduplication of identical queries
 * included), logging at warnings only, no landing page or GraphiQL.
 *
 * Subgraphs answer signed requests only, so an `onFetch` plugin signs each subgraph request with `SUBGRAPH_SECRET`
 * exactly as the router does (method, path, identity headers, body). Subgraph URLs come from the first entry of
 * each `SUBGRAPH_<NAME>_URLS`, written into the supergraph's `@join__graph` URLs.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import { DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { announceReady, exitWithParent } from '@cinema/kit/process';
import { SIGNATURE_HEADER, signRequest } from '@cinema/kit/signing';

const env = process.env;
const supergraphPath = env.SUPERGRAPH_PATH ?? new URL('../schema/supergraph.graphql', import.meta.url).pathname;
const secret = env.SUBGRAPH_SECRET ?? DEVELOPMENT_SUBGRAPH_SECRET;
const rust = env.HIVE_ROUTER_RUNTIME === 'true';

const supergraph = readFileSync(supergraphPath, 'utf8').replace(/@join__graph\(name: "(\w+)", url: "[^"]*"\)/g, (whole, name: string) => {
  const url = env[`SUBGRAPH_${name.toUpperCase()}_URLS`]?.split(',')[0]?.trim();
  if (!url) throw new Error(`SUBGRAPH_${name.toUpperCase()}_URLS is not set`);
  return `@join__graph(name: "${name}", url: "${url}")`;
});

/**
 * The little of Hive's API used here. Its own type declarations are not imported: they declare global fetch types
 * that clash with Node's in the rest of the repository's type check.
 */
interface HiveFetchPayload {
  url: string;
  options: { method?: string; headers?: unknown; body?: unknown };
  setOptions(options: HiveFetchPayload['options']): void;
}
interface HiveGatewayModule {
  createGatewayRuntime(config: Record<string, unknown>): RequestListener & { dispose(): Promise<void> | void };
}
const hiveGateway = '@graphql-hive/gateway';
const hiveRouterRuntime = '@graphql-hive/router-runtime';
const { createGatewayRuntime } = (await import(hiveGateway)) as HiveGatewayModule;

/** Signs what is sent: the header is computed over the final URL path, headers and body string. */
const signSubgraphRequests = {
  onFetch({ url, options, setOptions }: HiveFetchPayload) {
    const headers = { ...(options.headers as Record<string, string> | undefined) };
    const lower: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
    const body = typeof options.body === 'string' ? options.body : null;
    const signature = signRequest(secret, { method: options.method ?? 'POST', path: new URL(url).pathname, headers: lower, body });
    setOptions({ ...options, headers: { ...headers, [SIGNATURE_HEADER]: signature } });
  },
};

const gateway = createGatewayRuntime({
  supergraph,
  logging: 'warn',
  landingPage: false,
  graphiql: false,
  plugins: () => [signSubgraphRequests],
  ...(rust ? { unifiedGraphHandler: ((await import(hiveRouterRuntime)) as { unifiedGraphHandler: unknown }).unifiedGraphHandler } : {}),
});
const server = createServer(gateway);
server.keepAliveTimeout = 65_000;
server.listen(Number(env.PORT ?? 0), env.HOST ?? '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  announceReady({ service: rust ? 'hive-gateway-rust' : 'hive-gateway', url: `http://127.0.0.1:${port}`, port });
});
exitWithParent(() => process.exit(0));
// A benchmark peer: nothing to drain, and Hive's dispose can wait on idle keep-alive sockets.
process.once('SIGTERM', () => process.exit(0));

import { Pool } from 'undici';
import { luaString, runWrk, wrkInstalled } from './wrk.js';

export interface GraphQLLoadOptions {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  readonly url: string;
  readonly query: string;
  /** Requests ask for `id` 1..ids in turn, so they do not all read the same rows. */
  readonly ids: number;
  readonly connections: number;
  readonly seconds: number;
}

export interface GraphQLLoadResult {
  readonly tool: string;
  readonly requests: number;
  readonly seconds: number;
  /** Transport errors and non-2xx answers. */
  readonly errors: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** The JSON body for one request. */
export const requestBody = (query: string, id: number): string => JSON.stringify({ query, variables: { id: String(id) } });

/**
 * A closed-loop GraphQL load: exactly `connections` keep-alive connections, each posting its next query when the
 * previous answer ends, for `seconds`. wrk is used when installed, because in C it takes far less of the machine's
 * CPU from the processes being measured; otherwise an undici loop in this process.
 */
export function runGraphQLLoad(options: GraphQLLoadOptions): Promise<GraphQLLoadResult> {
  return wrkInstalled() ? runGraphQLWithWrk(options) : runUndici(options);
}

async function runGraphQLWithWrk(options: GraphQLLoadOptions): Promise<GraphQLLoadResult> {
  const [before, after] = requestBody(options.query, 0).split('"id":"0"') as [string, string];
  const script = `wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local before, after, ids, i = ${luaString(before)}, ${luaString(after)}, ${options.ids}, 0
function setup(thread) thread:set("offset", math.random(ids)) end
function init(args) i = tonumber(offset) or 0 end
function request()
  i = i % ids + 1
  return wrk.format(nil, nil, nil, before .. '"id":"' .. i .. '"' .. after)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout + e.status, latency:percentile(50), latency:percentile(99)))
end
`;
  const figures = await runWrk({ url: options.url, script, connections: options.connections, seconds: options.seconds });
  const [requests, micros, errors, p50, p99] = figures as [number, number, number, number, number];
  return { tool: 'wrk', requests, seconds: micros / 1e6, errors, requestsPerSecond: requests / (micros / 1e6), p50Ms: p50 / 1000, p99Ms: p99 / 1000 };
}

async function runUndici(options: GraphQLLoadOptions): Promise<GraphQLLoadResult> {
  const url = new URL(options.url);
  const pool = new Pool(url.origin, { connections: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      try {
        const { statusCode, body } = await pool.request({
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: requestBody(options.query, (next++ % options.ids) + 1),
        });
        await body.dump();
        if (statusCode >= 400) errors += 1;
      } catch {
        errors += 1;
      }
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    tool: 'undici (wrk not installed)',
    requests: latencies.length,
    seconds,
    errors,
    requestsPerSecond: latencies.length / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

import { luaString, runWrk, wrkInstalled } from './wrk.js';

export interface GatewayLoadOptions {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  readonly url: string;
  /** JSON request bodies, sent in turn (each connection starts at a random one). */
  readonly bodies: readonly string[];
  readonly connections: number;
  readonly seconds: number;
}

export interface GatewayLoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Answers with a `"errors"` member or a non-200 status: partial or failed answers. */
  readonly partial: number;
  /** wrk's own errors: connect, read, write, timeouts (30 s), statuses of 400 and above. */
  readonly transportErrors: number;
}

/** Requests slower than this count as wrk timeouts (wrk's 2 s default would cut off the deep queries). */
const WRK_TIMEOUT_SECONDS = 30;

/** Fails with what to do when wrk is missing: the gateway benchmark never falls back silently. */
export function assertWrkInstalled(): void {
  if (!wrkInstalled()) throw new Error('wrk is not installed (Debian: apt-get install -y wrk); the gateway benchmark needs it');
}

/**
 * A closed loop of `connections` keep-alive connections with wrk (C, so the load generator takes little of the CPU
 * the measured processes need), posting the bodies in turn. wrk cannot see GraphQL errors by itself, so its Lua
 * `response` hook reads every answer and counts those carrying `"errors"` (a subgraph timeout makes a partial answer
 * with status 200).
 */
export async function runGatewayLoad(options: GatewayLoadOptions): Promise<GatewayLoadResult> {
  const script = `wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = { ${options.bodies.map(luaString).join(',\n')} }
local n, i = #bodies, 0
partial = 0
local threads = {}
function setup(thread) thread:set("offset", math.random(n)); table.insert(threads, thread) end
function init(args) i = tonumber(offset) or 0 end
function request()
  i = i % n + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then partial = partial + 1 end
end
function done(summary, latency, requests)
  local p = 0
  for _, t in ipairs(threads) do p = p + t:get("partial") end
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout + e.status, latency:percentile(50), latency:percentile(99), p))
end
`;
  const figures = await runWrk({ url: options.url, script, connections: options.connections, seconds: options.seconds, timeoutSeconds: WRK_TIMEOUT_SECONDS });
  const [requests, micros, transportErrors, p50, p99, partial] = figures as [number, number, number, number, number, number];
  return { requests, seconds: micros / 1e6, requestsPerSecond: requests / (micros / 1e6), p50Ms: p50 / 1000, p99Ms: p99 / 1000, partial, transportErrors };
}

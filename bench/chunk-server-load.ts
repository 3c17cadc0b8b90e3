import { Agent, request } from 'node:http';
import { luaString, runWrk, wrkInstalled } from './wrk.js';

export interface LoadOptions {
  readonly baseUrl: string;
  /** Request targets, cycled through in order. */
  readonly paths: readonly string[];
  readonly connections: number;
  readonly durationSeconds: number;
}

export interface LoadResult {
  readonly tool: string;
  readonly requests: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly errors: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly requestsPerSecond: number;
  readonly megabytesPerSecond: number;
}

/**
 * A closed-loop load: exactly `connections` keep-alive connections, each sending its next request as soon as the
 * previous response ends, for `durationSeconds`. Bounded by construction: the load never exceeds the connection count.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  return wrkInstalled() ? runPathsWithWrk(options) : runNodeLoad(options);
}

async function runPathsWithWrk(options: LoadOptions): Promise<LoadResult> {
  // Each wrk thread starts at a different offset so threads do not request the same segment in lock-step.
  const script = `local paths = { ${options.paths.map((p) => luaString(p)).join(', ')} }
local i = 0
function setup(thread) thread:set("offset", math.random(#paths)) end
function init(args) i = tonumber(offset) or 0 end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.bytes, summary.duration,
    e.connect + e.read + e.write + e.timeout + e.status, latency:percentile(50), latency:percentile(99)))
end
`;
  const figures = await runWrk({ url: options.baseUrl, script, connections: options.connections, seconds: options.durationSeconds });
  const [requests, bytes, micros, errors, p50, p99] = figures as [number, number, number, number, number, number];
  return summarise('wrk', requests, bytes, micros / 1e6, errors, p50 / 1000, p99 / 1000);
}

async function runNodeLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const url = new URL(options.baseUrl);
  const latencies: number[] = [];
  let requests = 0;
  let bytes = 0;
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + options.durationSeconds * 1000;
  const one = (target: string) =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      const req = request({ host: url.hostname, port: url.port, path: target, agent }, (res) => {
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 400) errors += 1;
          requests += 1;
          latencies.push(performance.now() - sent);
          resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end();
    });
  const worker = async () => {
    while (performance.now() < deadline) await one(options.paths[next++ % options.paths.length] as string);
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return summarise('node http (wrk not installed)', requests, bytes, (performance.now() - started) / 1000, errors, pick(0.5), pick(0.99));
}

function summarise(tool: string, requests: number, bytes: number, seconds: number, errors: number, p50: number, p99: number): LoadResult {
  return {
    tool,
    requests,
    bytes,
    seconds,
    errors,
    latencyP50Ms: p50,
    latencyP99Ms: p99,
    requestsPerSecond: requests / seconds,
    megabytesPerSecond: bytes / seconds / 1e6,
  };
}

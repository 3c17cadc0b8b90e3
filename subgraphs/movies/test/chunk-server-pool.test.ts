import { createServer, type Server, type ServerResponse } from 'node:http';
import { createLogger } from '@cinema/kit/logging';
import { closeGracefully, listen } from '@cinema/kit/process';
import { afterEach, describe, expect, it } from 'vitest';
import { BoundedLoadRing } from '../src/bounded-load-ring.js';
import { ChunkServerPool } from '../src/chunk-server-pool.js';

/** A stand-in chunk server over real HTTP whose `/health` reports whatever load the test sets. */
async function fakeChunkServer(): Promise<{ url: string; load: { activeResponses: number }; server: Server }> {
  const state = { load: { activeResponses: 0 } };
  const server = createServer((req, res) => {
    const body = JSON.stringify({ status: 'ok', assets: 1, load: { ...state.load, bytesPerSecond: 0, eventLoopDelayMs: 1, processes: 1 } });
    res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(body);
  });
  const port = await listen(server, 0);
  return { url: `http://127.0.0.1:${port}`, load: state.load, server };
}

describe('ChunkServerPool', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function setUp(assignmentWindowMs = 60_000) {
    const servers = [await fakeChunkServer(), await fakeChunkServer()];
    const pool = new ChunkServerPool({
      urls: servers.map((s) => s.url),
      balanceFactor: 0.25,
      assignmentWindowMs,
      healthIntervalMs: 60_000,
      healthTimeoutMs: 1_000,
      logger: createLogger('test', 'silent'),
    });
    cleanups.push(async () => {
      pool.stop();
      await Promise.all(servers.map((s) => closeGracefully(s.server, 100)));
    });
    await pool.checkHealth();
    return { servers, pool };
  }

  it('sends an asset to its consistent-hash home while loads are even', async () => {
    const { servers, pool } = await setUp();
    const home = new BoundedLoadRing(servers.map((s) => s.url)).home('demo-1');
    expect(pool.assign('demo-1')).toBe(home);
    expect(pool.home('demo-1')).toBe(home);
  });

  it('avoids a replica that reports many active responses, and returns once its load falls', async () => {
    const { servers, pool } = await setUp(0);
    const home = pool.home('demo-1')!;
    const busy = servers.find((s) => s.url === home)!;
    busy.load.activeResponses = 40;
    await pool.checkHealth();
    expect(pool.states().find((state) => state.url === home)).toMatchObject({ healthy: true, load: 40, reported: { activeResponses: 40 } });
    for (let i = 0; i < 5; i++) expect(pool.assign('demo-1')).not.toBe(home);
    busy.load.activeResponses = 0;
    await pool.checkHealth();
    expect(pool.assign('demo-1')).toBe(home);
  });

  it('keeps new viewers off a replica for as long as its reported overload lasts, however many go to the other', async () => {
    const { servers, pool } = await setUp();
    const home = pool.home('demo-1')!;
    const other = servers.find((s) => s.url !== home)!.url;
    servers.find((s) => s.url === home)!.load.activeResponses = 60;
    await pool.checkHealth();
    // Each pick counts on the other replica for the assignment window, yet 60 against 20 stays over the bound.
    expect(Array.from({ length: 20 }, () => pool.assign('demo-1'))).toEqual(Array(20).fill(other));
    await pool.checkHealth();
    expect(pool.assign('demo-1')).toBe(other);
  });

  it('spreads its own picks over both replicas before a probe has reported any load (no overload is known yet)', async () => {
    // What the end-to-end load test must not mistake for the reaction to an overload: with nothing reported, the
    // URLs the pool hands out are the only load it knows, so the bound moves the third one off the home replica and
    // the fourth back onto it.
    const { servers, pool } = await setUp();
    const home = pool.home('demo-1')!;
    const other = servers.find((s) => s.url !== home)!.url;
    expect(Array.from({ length: 5 }, () => pool.assign('demo-1'))).toEqual([home, home, other, home, home]);
  });

  it('counts URLs it handed out until the replica reports them, so a burst spreads', async () => {
    const { pool } = await setUp();
    const picks = Array.from({ length: 20 }, () => pool.assign('demo-1'));
    const counts = new Map<string, number>();
    for (const pick of picks) counts.set(pick!, (counts.get(pick!) ?? 0) + 1);
    expect(counts.size).toBe(2);
    for (const count of counts.values()) expect(count).toBeLessThanOrEqual(Math.ceil((1.25 * 20) / 2) + 1);
  });

  it('gives no URLs to a replica whose probe fails', async () => {
    const { servers, pool } = await setUp();
    const home = pool.home('demo-1')!;
    await closeGracefully(servers.find((s) => s.url === home)!.server, 100);
    await pool.checkHealth();
    expect(pool.assign('demo-1')).not.toBe(home);
    expect(pool.states().find((state) => state.url === home)?.healthy).toBe(false);
  });

  it('stops giving URLs to a replica that goes silent within one health interval, probe timeout included', async () => {
    // A replica whose host drops packets refuses nothing: only a probe's timeout reveals it. This one answers until
    // told to go silent, then holds every request open.
    const probes: number[] = [];
    const held = new Set<ServerResponse>();
    let silentAfterNextProbe = false;
    let silentSince: number | undefined;
    const silent = createServer((req, res) => {
      probes.push(performance.now());
      if (silentSince !== undefined) return void held.add(res);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', load: { activeResponses: 0 } }));
      if (silentAfterNextProbe) silentSince = performance.now();
    });
    const port = await listen(silent, 0);
    const other = await fakeChunkServer();
    const url = `http://127.0.0.1:${port}`;
    const intervalMs = 4_000;
    const pool = new ChunkServerPool({
      urls: [url, other.url],
      balanceFactor: 0.25,
      assignmentWindowMs: 0,
      healthIntervalMs: intervalMs,
      healthTimeoutMs: 10_000,
      logger: createLogger('test', 'silent'),
    });
    cleanups.push(async () => {
      pool.stop();
      for (const res of held) res.destroy();
      await Promise.all([closeGracefully(silent, 100), closeGracefully(other.server, 100)]);
    });
    pool.start();
    await expect.poll(() => probes.length, { timeout: 10_000 }).toBeGreaterThan(0);
    // Silent from just after a probe answered: the worst case, a whole round to wait before the next probe.
    silentAfterNextProbe = true;
    await expect.poll(() => silentSince, { timeout: 15_000 }).toBeDefined();
    await expect.poll(() => pool.states().find((state) => state.url === url)?.healthy, { timeout: 15_000, interval: 20 }).toBe(false);
    const foundAfterMs = performance.now() - silentSince!;
    // Probes start every interval minus their timeout (capped at half the interval): here every 2 s, timing out after
    // 2 s, so it is out 4 s after it went silent. Probing every interval with the whole 10 s timeout on top would take
    // 14 s, and even a 2 s timeout 6 s (timers never fire early, so neither can pass); the 1.5 s beyond 4 s is room
    // for a loaded machine's late timers.
    expect(foundAfterMs).toBeLessThan(intervalMs + 1_500);
    for (let i = 0; i < 5; i++) expect(pool.assign(`demo-${i}`)).toBe(other.url);
  }, 30_000);
});

import { describe, expect, it } from 'vitest';
import { backupOrigins, normalisePeerUrl } from '../src/backup-origins.js';
import { LoadMonitor, addLoads } from '../src/load-monitor.js';

describe('backupOrigins', () => {
  const peers = ['http://a:1', 'http://b:2', 'http://c:3'];

  it('leaves this server out and starts after it, so the viewers of a dead replica spread over the others', () => {
    expect(backupOrigins(peers, 'a:1')).toEqual(['http://b:2', 'http://c:3']);
    expect(backupOrigins(peers, 'b:2')).toEqual(['http://c:3', 'http://a:1']);
    expect(backupOrigins(peers, 'C:3')).toEqual(['http://a:1', 'http://b:2']);
  });

  it('lists every peer when the Host matches none (a proxy rewrote it)', () => {
    expect(backupOrigins(peers, 'cdn.example')).toEqual(peers);
    expect(backupOrigins(peers, undefined)).toEqual(peers);
  });

  it('accepts plain http(s) base URLs only', () => {
    expect(normalisePeerUrl('http://a:1/media/')).toBe('http://a:1/media');
    expect(() => normalisePeerUrl('javascript:alert(1)')).toThrow();
    expect(() => normalisePeerUrl('http://user:pw@a:1')).toThrow();
  });
});

describe('LoadMonitor', () => {
  it('counts each response once, however often its end is reported', () => {
    const monitor = new LoadMonitor();
    const first = monitor.begin();
    const second = monitor.begin();
    expect(monitor.snapshot().activeResponses).toBe(2);
    first();
    first();
    expect(monitor.snapshot().activeResponses).toBe(1);
    second();
    expect(monitor.snapshot().activeResponses).toBe(0);
  });

  it('adds the figures of cluster peers, keeping the worst event-loop delay', () => {
    const monitor = new LoadMonitor();
    monitor.begin();
    monitor.setPeers({ activeResponses: 3, bytesPerSecond: 100, eventLoopDelayMs: 40, processes: 1 });
    expect(monitor.snapshot()).toEqual({ activeResponses: 4, bytesPerSecond: 100, eventLoopDelayMs: 40, processes: 2 });
    expect(addLoads([])).toEqual({ activeResponses: 0, bytesPerSecond: 0, eventLoopDelayMs: 0, processes: 0 });
  });
});

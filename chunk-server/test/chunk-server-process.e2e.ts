import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReadyMessage } from '@cinema/kit/process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from './support/run-process.js';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

describe('chunk-server process (src/index.ts)', () => {
  let mediaRoot: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    mediaRoot = await mkdtemp(path.join(tmpdir(), 'chunk-server-process-'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await rm(mediaRoot, { recursive: true, force: true });
  });

  it('listens on PORT=0, announces its URL over IPC, answers /health and exits cleanly on SIGTERM', async () => {
    const started = spawn(process.execPath, ['--import', 'tsx', entry], {
      env: { ...process.env, PORT: '0', MEDIA_ROOT: mediaRoot, LOG_LEVEL: 'warn', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child = started;
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const ready = await new Promise<ReadyMessage>((resolve, reject) => {
      started.once('message', (message) => resolve(message as ReadyMessage));
      started.once('exit', (code) => reject(new Error(`exited with ${code} before ready: ${output}`)));
    });
    expect(ready).toMatchObject({ type: 'ready', service: 'chunk-server' });
    expect(ready.port).toBeGreaterThan(0);
    expect(ready.url).toBe(`http://127.0.0.1:${ready.port}`);

    const health = await fetch(`${ready.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', assets: 0, load: { activeResponses: expect.any(Number) } });

    const exited = new Promise<number | null>((resolve) => started.once('exit', (code) => resolve(code)));
    started.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses to start in production without real stream keys', async () => {
    const result = await runProcess(process.execPath, ['--import', 'tsx', entry], {
      env: { ...process.env, PORT: '0', MEDIA_ROOT: mediaRoot, NODE_ENV: 'production', STREAM_KEYS: '' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/STREAM_KEYS must be set to real secrets in production/);
  });
});

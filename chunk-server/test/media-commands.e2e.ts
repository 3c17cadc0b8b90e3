import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegForTests } from './support/ffmpeg-availability.js';
import { runProcess } from './support/run-process.js';

const demoCommand = fileURLToPath(new URL('../src/cli/demo-command.ts', import.meta.url));
const ingestCommand = fileURLToPath(new URL('../src/cli/ingest-command.ts', import.meta.url));
const tools = await ffmpegForTests();

describe('media commands', () => {
  let mediaRoot: string;
  beforeAll(async () => {
    mediaRoot = await mkdtemp(path.join(tmpdir(), 'chunk-server-commands-'));
  });
  afterAll(async () => {
    await rm(mediaRoot, { recursive: true, force: true });
  });
  const run = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
    runProcess(process.execPath, ['--import', 'tsx', command, ...args], { env: { ...process.env, MEDIA_ROOT: mediaRoot, DEMO_VIDEO_SECONDS: '4', ...env } });

  it('exits with code 3 and says how to install ffmpeg when it is missing', async () => {
    for (const command of [demoCommand, ingestCommand]) {
      const result = await run(command, command === demoCommand ? ['1'] : ['/dev/null', 'x'], { FFMPEG_PATH: '/nonexistent/ffmpeg' });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('ffmpeg not found: install it with `apt-get install ffmpeg`');
    }
  });

  it('prints usage and exits with code 2 on bad arguments', async () => {
    expect((await run(ingestCommand, [])).code).toBe(2);
    expect((await run(demoCommand, ['zero'])).code).toBe(2);
  });

  it.skipIf(!tools)('ingests a source file (even one without sound) with progress, and refuses to overwrite it', async () => {
    const source = path.join(mediaRoot, '..', `${path.basename(mediaRoot)}-source.mp4`);
    try {
      const render = await runProcess(tools!.ffmpeg, [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=320x180:rate=25:duration=3',
        '-c:v',
        'libx264',
        '-y',
        source,
      ]);
      expect(render.code, render.stderr).toBe(0);
      const first = await run(ingestCommand, [source, 'trailer-1', 'A trailer']);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toMatch(/trailer-1: encoding \d+%/);
      expect(first.stdout).toMatch(/Ingested "trailer-1"/);
      const manifest = JSON.parse(await readFile(path.join(mediaRoot, 'trailer-1', 'manifest.json'), 'utf8')) as { title: string; renditions: unknown[] };
      expect(manifest.title).toBe('A trailer');
      expect(manifest.renditions).toHaveLength(3);

      const again = await run(ingestCommand, [source, 'trailer-1']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('ASSET_EXISTS');
    } finally {
      await rm(source, { force: true });
    }
  });

  it.skipIf(!tools)('creates demo assets and skips the ones already there', async () => {
    const first = await run(demoCommand, ['1']);
    expect(first.code, first.stderr).toBe(0);
    await access(path.join(mediaRoot, 'demo-1', 'manifest.json'));
    const second = await run(demoCommand, ['1']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('demo-1: already there, skipped');
  });
});

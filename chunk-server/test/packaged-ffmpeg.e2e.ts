import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFfmpegTools, type FfmpegTools } from '../src/media/ffmpeg-tools.js';
import { runProcess } from './support/run-process.js';
import { RENDITION_LADDER } from '../src/media/rendition-ladder.js';

const ingestCommand = fileURLToPath(new URL('../src/cli/ingest-command.ts', import.meta.url));
const nodeModules = fileURLToPath(new URL('../../node_modules/', import.meta.url));

/**
 * A machine without a system ffmpeg: PATH holds only an empty folder, so the only binaries the media pipeline can
 * find are the static builds the npm dependencies ship. The ingest is the real command, run as its own process.
 */
describe('media pipeline with only the npm-packaged ffmpeg and ffprobe', () => {
  let scratch: string;
  let emptyPath: string;
  let packaged: FfmpegTools;
  const envWithout = (pathValue: string): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathValue };
    delete env.FFMPEG_PATH;
    delete env.FFPROBE_PATH;
    return env;
  };

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'packaged-ffmpeg-'));
    emptyPath = await mkdtemp(path.join(scratch, 'empty-path-'));
    packaged = await findFfmpegTools(envWithout(emptyPath));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('falls back to the binaries inside node_modules when PATH has none', () => {
    expect(packaged.sources).toEqual({ ffmpeg: 'npm', ffprobe: 'npm' });
    expect(packaged.ffmpeg.startsWith(path.join(nodeModules, '@ffmpeg-installer'))).toBe(true);
    expect(packaged.ffprobe.startsWith(path.join(nodeModules, '@ffprobe-installer'))).toBe(true);
  });

  it('prefers an ffmpeg installed on the system', async () => {
    // A "system" install of our own making (wrappers around the packaged builds), so this holds on any machine.
    const systemDir = await mkdtemp(path.join(scratch, 'system-bin-'));
    for (const name of ['ffmpeg', 'ffprobe'] as const) {
      await writeFile(path.join(systemDir, name), `#!/bin/sh\nexec '${packaged[name]}' "$@"\n`);
      await chmod(path.join(systemDir, name), 0o755);
    }
    const tools = await findFfmpegTools(envWithout(`${emptyPath}${path.delimiter}${systemDir}`));
    expect(tools).toEqual({
      ffmpeg: path.join(systemDir, 'ffmpeg'),
      ffprobe: path.join(systemDir, 'ffprobe'),
      sources: { ffmpeg: 'system', ffprobe: 'system' },
    });
  });

  it('ingests a generated clip into a playable HLS ladder, encoded by the packaged ffmpeg', async () => {
    const source = path.join(scratch, 'clip.mp4');
    const render = await runProcess(packaged.ffmpeg, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=426x240:rate=25:duration=3',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000:duration=3',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-c:a',
      'aac',
      '-shortest',
      '-y',
      source,
    ]);
    expect(render.code, render.stderr).toBe(0);

    const mediaRoot = path.join(scratch, 'media');
    const ingest = await runProcess(process.execPath, ['--import', 'tsx', ingestCommand, source, 'packaged-1', 'Packaged'], {
      env: { ...envWithout(emptyPath), MEDIA_ROOT: mediaRoot },
    });
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stderr).toContain(`ffmpeg: ${packaged.ffmpeg} (npm package)`);
    expect(ingest.stderr).toContain(`ffprobe: ${packaged.ffprobe} (npm package)`);

    const assetDir = path.join(mediaRoot, 'packaged-1');
    const manifest = JSON.parse(await readFile(path.join(assetDir, 'manifest.json'), 'utf8')) as {
      renditions: { name: string; height: number; segments: unknown[] }[];
      files: Record<string, unknown>;
    };
    expect(manifest.renditions.map((rendition) => [rendition.name, rendition.height])).toEqual(RENDITION_LADDER.map((rung) => [rung.name, rung.height]));
    expect(manifest.renditions.every((rendition) => rendition.segments.length === 2)).toBe(true);
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining(['master.m3u8', 'movie.mp4', '240p/index.m3u8', '240p/init.mp4', '480p/seg_0.m4s']));

    // The muxer stamps its own libavformat version into the file: proof of which ffmpeg did the encoding.
    const version = await runProcess(packaged.ffmpeg, ['-hide_banner', '-version']);
    const libavformat = /libavformat\s+(\d+)\.\s*(\d+)\.\s*(\d+)/.exec(version.stdout);
    expect(libavformat).not.toBeNull();
    const probe = await runProcess(packaged.ffprobe, ['-v', 'error', '-show_entries', 'format_tags=encoder', '-of', 'json', path.join(assetDir, 'movie.mp4')]);
    expect(probe.code, probe.stderr).toBe(0);
    const encoder = (JSON.parse(probe.stdout) as { format: { tags: { encoder: string } } }).format.tags.encoder;
    expect(encoder).toBe(`Lavf${libavformat![1]}.${libavformat![2]}.${libavformat![3]}`);
    // Two encodes and a child process: seconds on an idle machine, but minutes on a loaded 2-core CI box.
  }, 300_000);
});

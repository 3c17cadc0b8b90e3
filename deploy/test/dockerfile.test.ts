import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { platformSubgraphs } from './support/platform-subgraphs.js';
import { PRODUCTION_NODE_FLAGS } from '@cinema/kit/service-process';
import { SERVICE_ENTRIES } from '../../launcher/src/build-services.js';
import { readDockerfileStages, type DockerfileStage } from './support/read-dockerfile-stages.js';
import { repoRoot } from './support/repo-paths.js';

const content = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
const stages = readDockerfileStages(content);
const stage = (name: string): DockerfileStage => {
  const found = stages.get(name);
  if (!found) throw new Error(`the Dockerfile has no stage "${name}"`);
  return found;
};
const servers = ['router', ...platformSubgraphs, 'chunk-server'];
const targets = [...servers, 'migrate'];
/** Preloaded by every server (tracing when an OTLP endpoint is set), never by the one-shot jobs: the built module. */
const TRACING_PRELOAD = ['--import', './packages/kit/dist/tracing/register.js'];
/** The TypeScript a built file is made of (`npm run build`): `<folder>/dist/<name>.js` → `<folder>/src/<name>.ts`. */
const sourceOf = (built: string): string => built.replace('/dist/', '/src/').replace(/\.js$/, '.ts');
/** The entry file a target runs: the last argument of its command. */
const entryOf = (target: string): string => stage(target).cmd?.at(-1) ?? '';

/** Workspace folders from the root package.json globs (`subgraphs/*`), as npm resolves them. */
const workspaceFolders = (): string[] => {
  const { workspaces } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] };
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(repoRoot, parent))
      .map((child) => `${parent}/${child}`)
      .filter((folder) => existsSync(path.join(repoRoot, folder, 'package.json')));
  });
};

describe('Dockerfile', () => {
  it('passes the dockerfile-utils linter (instructions, flags, ports, JSON forms)', () => {
    expect(validate(content).map((d) => `line ${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`)).toEqual([]);
  });

  it('is multi-stage: dependencies installed with npm ci in their own stage, from every workspace manifest', () => {
    const deps = stage('deps');
    const install = deps.instructions.findIndex((i) => i.startsWith('RUN npm ci --omit=dev'));
    expect(install).toBeGreaterThan(0);
    const copied = deps.instructions
      .slice(0, install)
      .filter((i) => i.startsWith('COPY '))
      .join('\n');
    expect(copied).toContain('package-lock.json');
    for (const folder of workspaceFolders())
      expect(copied, `${folder}/package.json is copied before npm ci`).toContain(`COPY ${folder}/package.json ${folder}/`);
    for (const target of targets)
      expect(
        stage(target).instructions.some((i) => i.startsWith('RUN npm ci')),
        target,
      ).toBe(false);
  });

  it('pins every external base image to an exact version', () => {
    const external = [...stages.values()].filter((s) => !s.parent).map((s) => s.baseImage);
    expect(external.length).toBeGreaterThan(0);
    for (const image of external) expect(image).toMatch(/^[a-z0-9./-]+:\d+\.\d+\.\d+[\w.-]*$|@sha256:[0-9a-f]{64}$/);
  });

  it('runs every target as the unprivileged node user', () => {
    for (const target of targets) expect(stage(target).user, target).toBe('node');
  });

  it('health-checks every server on GET /health of its own PORT, and no one-shot job', () => {
    for (const target of servers) {
      const { healthcheck, env, expose } = stage(target);
      expect(healthcheck, target).toContain("'http://127.0.0.1:'+process.env.PORT+'/health'");
      expect(expose, target).toEqual([env.PORT]);
      expect(env.HOST, target).toBe('0.0.0.0');
    }
    expect(stage('migrate').healthcheck).toBe('NONE');
  });

  it('builds the services once in the shared app stage, with the same build as `npm run build`', () => {
    expect(stage('app').instructions).toContain('RUN node --import tsx launcher/src/build-command.ts');
    const { scripts } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.build).toBe('tsx launcher/src/build-command.ts');
  });

  it('starts each server in production mode on its built JavaScript with the tracing preload, no TypeScript transpiler', () => {
    for (const target of servers) {
      expect(stage(target).cmd, target).toEqual(['node', ...TRACING_PRELOAD, entryOf(target)]);
      expect(entryOf(target), target).toMatch(/\/dist\/index\.js$/);
      // The image builds what the command runs: its source exists and is one of the build's entry points.
      expect(SERVICE_ENTRIES, target).toContain(sourceOf(entryOf(target)));
      expect(existsSync(path.join(repoRoot, sourceOf(entryOf(target)))), `${target}: ${sourceOf(entryOf(target))}`).toBe(true);
    }
    expect(SERVICE_ENTRIES).toContain(sourceOf(TRACING_PRELOAD[1]!.slice(2)));
    expect(stage('base').env.NODE_ENV).toBe('production');
  });

  it('gives every process the Node flags the launcher gives production services', () => {
    for (const target of servers) expect(stage(target).env.NODE_OPTIONS, target).toBe(PRODUCTION_NODE_FLAGS.join(' '));
  });

  it('runs the one-shot migrate job with tsx on an entry file that exists', () => {
    expect(stage('migrate').cmd).toEqual(['node', '--import', 'tsx', entryOf('migrate')]);
    expect(existsSync(path.join(repoRoot, entryOf('migrate')))).toBe(true);
  });

  it('ships ffmpeg in the chunk-server image only, installed before the sources so code changes keep the layer', () => {
    const ffmpegStages = [...stages.values()].filter((s) => s.instructions.some((i) => /^RUN .*apt-get install .*\bffmpeg\b/.test(i)));
    expect(ffmpegStages.map((s) => s.name)).toEqual(['media-tools']);
    expect(stage('chunk-server').parent).toBe('media-tools');
    for (const target of ['router', ...platformSubgraphs, 'migrate']) {
      let s: DockerfileStage | undefined = stage(target);
      while (s) {
        expect(s.name, `${target} builds on ${s.name}`).not.toBe('media-tools');
        s = s.parent ? stages.get(s.parent) : undefined;
      }
    }
  });

  it('.dockerignore keeps dependencies, data and git out of the context, and nothing the images need', () => {
    const patterns = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const required of ['**/node_modules', '.git', '.data', '.env']) expect(patterns).toContain(required);
    const ignored = (file: string) =>
      patterns.some((pattern) => {
        const parts = file.split('/');
        if (pattern.startsWith('**/')) return parts.includes(pattern.slice(3));
        return file === pattern || file.startsWith(`${pattern}/`);
      });
    const needed = [
      'package.json',
      'package-lock.json',
      'schema/supergraph.graphql',
      'schema/supergraph.yaml',
      'deploy/src/prepare-database-command.ts',
      'launcher/src/build-command.ts',
      ...SERVICE_ENTRIES,
      entryOf('migrate'),
    ];
    for (const folder of workspaceFolders()) needed.push(`${folder}/package.json`, `${folder}/src/index.ts`);
    for (const file of needed) expect(ignored(file), file).toBe(false);
  });
});

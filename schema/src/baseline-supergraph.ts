import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** The supergraph to compare against, or why there is none (then the breaking-change check passes and says so). */
export type BaselineSupergraph = { sdl: string; label: string } | { sdl: undefined; reason: string };

export interface BaselineOptions {
  /**
   * A git revision to compare against, e.g. `origin/main` or a merge-base in a pull-request pipeline. Unset, the
   * baseline is the version the current file replaced (see {@link readBaselineSupergraph}).
   */
  baseRef?: string | undefined;
}

/**
 * Finds the supergraph the current one replaces, from git history:
 * - with `baseRef`, the file at that revision;
 * - when the working copy differs from HEAD (a local edit before committing), the HEAD version;
 * - otherwise the version before the last commit that changed the file.
 *
 * The last rule, rather than HEAD~1, keeps a breaking change visible on every later commit until the supergraph
 * changes again, so it cannot slip through because an unrelated commit landed on top of it; its declaration in
 * the intentional-changes file must stay until then.
 */
export function readBaselineSupergraph(supergraphPath: string, options: BaselineOptions = {}): BaselineSupergraph {
  let cwd = path.dirname(supergraphPath);
  const git = (...args: string[]): string | undefined => {
    try {
      return execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
    } catch {
      return undefined;
    }
  };
  const top = git('rev-parse', '--show-toplevel')?.trim();
  if (!top) return { sdl: undefined, reason: 'no git history here (not a git work tree, or git is missing)' };
  cwd = top;
  const file = path.relative(realpathSync(top), realpathSync(supergraphPath)).split(path.sep).join('/');
  const at = (revision: string) => git('show', `${revision}:${file}`);

  if (options.baseRef) {
    if (git('rev-parse', '--verify', '--quiet', `${options.baseRef}^{commit}`) === undefined) {
      throw new Error(`the base revision "${options.baseRef}" (SCHEMA_BASE_REF) does not exist in this repository`);
    }
    const sdl = at(options.baseRef);
    return sdl === undefined
      ? { sdl: undefined, reason: `${file} does not exist at ${options.baseRef}: it is new` }
      : { sdl, label: `${file} at ${options.baseRef}` };
  }

  const head = at('HEAD');
  if (head === undefined) return { sdl: undefined, reason: `${file} is not committed yet, so there is no earlier version to compare with` };
  if (head !== readFileSync(supergraphPath, 'utf8')) return { sdl: head, label: `${file} at HEAD (the working copy changes it)` };

  const last = git('log', '-n', '1', '--format=%h %s', '--', file)?.trim();
  const [commit = '', ...subject] = (last ?? '').split(' ');
  if (!commit) return { sdl: undefined, reason: `no commit changes ${file}` };
  if (git('rev-parse', '--verify', '--quiet', `${commit}^`) === undefined) {
    const shallow = git('rev-parse', '--is-shallow-repository')?.trim() === 'true';
    return {
      sdl: undefined,
      reason: shallow
        ? `the clone is shallow: the parent of ${commit}, which last changed ${file}, is not fetched`
        : `${file} has no version before ${commit}, the first commit`,
    };
  }
  const previous = at(`${commit}^`);
  if (previous === undefined) return { sdl: undefined, reason: `${file} was created by ${commit} ("${subject.join(' ')}"); there is no earlier version` };
  return { sdl: previous, label: `${file} before ${commit} ("${subject.join(' ')}"), the last commit that changed it` };
}

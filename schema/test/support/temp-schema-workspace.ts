import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeSupergraph, configPath, schemaDir } from '../../src/compose-supergraph.js';

/** A throwaway copy of the composition inputs, so tests break schemas without touching the repository's files. */
export interface TempSchemaWorkspace {
  root: string;
  configPath: string;
  supergraphPath: string;
  intentionalChangesPath: string;
  /** Rewrites one subgraph's SDL copy. */
  editSubgraph(name: 'movies' | 'people' | 'ratings', edit: (sdl: string) => string): void;
  /** Composes the copies and writes the supergraph, like `npm run schema:compose`. */
  compose(): string;
  writeFile(relative: string, text: string): void;
  /** Runs git in the workspace with a fixed identity. */
  git(...args: string[]): string;
  remove(): void;
}

const repoRoot = path.resolve(schemaDir, '..');

/** Copies `supergraph.yaml` and every subgraph's SDL file into a temp folder with the same layout, then composes. */
export function createTempSchemaWorkspace(): TempSchemaWorkspace {
  const root = mkdtempSync(path.join(tmpdir(), 'schema-check-'));
  mkdirSync(path.join(root, 'schema'));
  cpSync(configPath, path.join(root, 'schema', 'supergraph.yaml'));
  // Every subgraph with an SDL file, so a new subgraph is composed here as `supergraph.yaml` composes it.
  const subgraphs = readdirSync(path.join(repoRoot, 'subgraphs')).filter((name) => existsSync(path.join(repoRoot, 'subgraphs', name, 'src', 'schema.graphql')));
  for (const name of subgraphs) {
    mkdirSync(path.join(root, 'subgraphs', name, 'src'), { recursive: true });
    cpSync(path.join(repoRoot, 'subgraphs', name, 'src', 'schema.graphql'), path.join(root, 'subgraphs', name, 'src', 'schema.graphql'));
  }
  const workspace: TempSchemaWorkspace = {
    root,
    configPath: path.join(root, 'schema', 'supergraph.yaml'),
    supergraphPath: path.join(root, 'schema', 'supergraph.graphql'),
    intentionalChangesPath: path.join(root, 'schema', 'intentional-changes.json'),
    editSubgraph(name, edit) {
      const file = path.join(root, 'subgraphs', name, 'src', 'schema.graphql');
      const before = readFileSync(file, 'utf8');
      const after = edit(before);
      if (after === before) throw new Error(`the edit of the ${name} SDL changed nothing`);
      writeFileSync(file, after);
    },
    compose() {
      const result = composeSupergraph(workspace.configPath);
      if (!result.ok) throw new Error(result.errors.join('\n'));
      writeFileSync(workspace.supergraphPath, result.supergraphSdl);
      return result.supergraphSdl;
    },
    writeFile(relative, text) {
      mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      writeFileSync(path.join(root, relative), text);
    },
    git(...args) {
      return execFileSync(
        'git',
        ['-C', root, '-c', 'user.name=Schema Test', '-c', 'user.email=schema-test@example.invalid', '-c', 'commit.gpgsign=false', ...args],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  workspace.compose();
  return workspace;
}

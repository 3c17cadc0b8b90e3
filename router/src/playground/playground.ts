import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteHandler } from '@cinema/kit/graphql-http';
import { signDevToken } from '../dev-token.js';
import { loadExampleOperations } from './example-operations.js';
import { playgroundAssetRoutes } from './playground-assets.js';
import { playgroundPage } from './playground-page.js';

const examplesFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples');

export interface PlaygroundOptions {
  endpoint: string;
  /**
   * Set only when the router runs on the public development secret: the header editor then starts with a working
   * token for a `playground` user, so signed-in fields work at once. Never with a real secret.
   */
  developmentJwtSecret?: string;
}

export interface Playground {
  landingPage: RouteHandler;
  routes: Record<string, RouteHandler>;
}

/** The in-browser IDE served at `GET /graphql`, with every asset served locally. */
export async function createPlayground(options: PlaygroundOptions): Promise<Playground> {
  const headers = options.developmentJwtSecret ? { Authorization: `Bearer ${await signDevToken('playground', options.developmentJwtSecret, '30d')}` } : {};
  return {
    landingPage: playgroundPage({ endpoint: options.endpoint, tabs: loadExampleOperations(examplesFolder), headers: JSON.stringify(headers, null, 2) }),
    routes: playgroundAssetRoutes(),
  };
}

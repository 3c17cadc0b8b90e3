import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { RouteHandler } from '@cinema/kit/graphql-http';

const require = createRequire(import.meta.url);

/** A file inside an installed package, found through its package.json (the file itself is not in `exports`). */
const packageFile = (name: string, file: string) => path.join(path.dirname(require.resolve(`${name}/package.json`)), file);

interface Asset {
  body: Buffer;
  contentType: string;
}

/** URL prefix of the playground's static files. */
export const PLAYGROUND_ASSET_PREFIX = '/playground/';

/**
 * The files the playground page loads, served by the router itself from installed npm packages, so the IDE works
 * on a machine with no internet access (no CDN). Read once at start-up: together about 1.5 MB.
 */
function loadAssets(): Map<string, Asset> {
  const js = 'text/javascript; charset=utf-8';
  const files: [string, string, string][] = [
    ['react.production.min.js', packageFile('react', 'umd/react.production.min.js'), js],
    ['react-dom.production.min.js', packageFile('react-dom', 'umd/react-dom.production.min.js'), js],
    ['graphiql.min.js', packageFile('graphiql', 'graphiql.min.js'), js],
    ['graphiql.min.css', packageFile('graphiql', 'graphiql.min.css'), 'text/css; charset=utf-8'],
    ['start-playground.js', new URL('./start-playground.js', import.meta.url).pathname, js],
  ];
  return new Map(files.map(([name, file, contentType]) => [name, { body: readFileSync(file), contentType }]));
}

/** Routes for every playground asset, keyed by exact path as the HTTP server expects. */
export function playgroundAssetRoutes(): Record<string, RouteHandler> {
  const routes: Record<string, RouteHandler> = {};
  for (const [name, asset] of loadAssets()) {
    routes[`${PLAYGROUND_ASSET_PREFIX}${name}`] = (_req, res) => {
      res.writeHead(200, {
        'content-type': asset.contentType,
        'content-length': asset.body.length,
        'cache-control': 'public, max-age=3600',
        'x-content-type-options': 'nosniff',
      });
      res.end(asset.body);
    };
  }
  return routes;
}

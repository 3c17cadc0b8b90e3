import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { RouteHandler } from '@cinema/kit/graphql-http';

export interface WebAppOptions {
  /** The app's production build (`web/dist`): `index.html` and hashed files under `assets/`. */
  root: string;
  /**
   * Origins the app may stream video from (the chunk servers, as players reach them). The page's CSP allows
   * fetches and media from these and from its own origin, nothing else.
   */
  mediaOrigins: readonly string[];
}

export interface WebApp {
  /** One route per built file, by exact path (`/`, `/assets/index-3f2a.js`, ...). */
  routes: Record<string, RouteHandler>;
  /** Answers a browser's navigation to any other path (`/movie/42`) with the app's page, so deep links work. */
  fallback: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page's policy: scripts and styles only from this origin (the build has no inline code), data only from the
 * graph on this origin and the chunk servers, video from the chunk servers through hls.js (MediaSource `blob:`
 * URLs, and its transmuxing worker), posters from anywhere over HTTPS (an image cannot run code), no framing.
 */
export function webAppContentSecurityPolicy(mediaOrigins: readonly string[]): string {
  const media = mediaOrigins.join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    `media-src 'self' blob: ${media}`.trim(),
    `connect-src 'self' ${media}`.trim(),
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

function listFiles(root: string, relative = ''): string[] {
  return readdirSync(path.join(root, relative), { withFileTypes: true }).flatMap((entry) => {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(root, child) : entry.isFile() ? [child] : [];
  });
}

/**
 * Serves the web app's production build from the router, on the same origin as `/graphql`, so the app needs no CORS
 * and its token never crosses origins. Files are read once at start-up (the build is a few hundred kB); hashed
 * assets are cached for a year, the page itself revalidated every time so a new build shows at once. Returns
 * undefined when there is no build (`npm start` makes one; tests that do not need the app run without).
 */
export function loadWebApp(options: WebAppOptions): WebApp | undefined {
  if (!existsSync(path.join(options.root, 'index.html'))) return undefined;
  const securityHeaders = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
  const pageHeaders = { ...securityHeaders, 'content-security-policy': webAppContentSecurityPolicy(options.mediaOrigins) };
  const routes: Record<string, RouteHandler> = {};
  let page: RouteHandler | undefined;
  for (const file of listFiles(options.root)) {
    const body = readFileSync(path.join(options.root, file));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    const isPage = file === 'index.html';
    const headers = {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': String(body.length),
      etag,
      'cache-control': file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(isPage ? pageHeaders : securityHeaders),
    };
    const handler: RouteHandler = (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', ...securityHeaders });
        res.end();
        return;
      }
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag, 'cache-control': headers['cache-control'] });
        res.end();
        return;
      }
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (isPage) {
      page = handler;
      routes['/'] = handler;
    } else {
      routes[`/${file}`] = handler;
    }
  }
  const servePage = page;
  if (!servePage) return undefined;
  return {
    routes,
    fallback: (req, res, url) => {
      // Only a browser navigating (GET of an HTML page) gets the app; an API client keeps its JSON 404, and a
      // missing asset stays a 404 instead of HTML served as JavaScript.
      const navigating = (req.method === 'GET' || req.method === 'HEAD') && (req.headers.accept ?? '').includes('text/html');
      if (!navigating || url.pathname.startsWith('/assets/')) return false;
      void servePage(req, res, url);
      return true;
    },
  };
}

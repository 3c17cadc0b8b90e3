import type { RouteHandler } from '@cinema/kit/graphql-http';
import type { ExampleOperation } from './example-operations.js';
import { PLAYGROUND_ASSET_PREFIX } from './playground-assets.js';

export interface PlaygroundOptions {
  endpoint: string;
  tabs: ExampleOperation[];
  /** JSON text for the header editor, e.g. a development Authorization header. */
  headers: string;
}

/** Scripts only from our own origin and no inline script: the page cannot be made to run injected code. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** JSON inside a <script type="application/json"> must not be able to close the tag. */
const embedJson = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

/**
 * The page a browser gets at `GET /graphql`: GraphiQL with the repository's example operations preloaded and a
 * header editor for the Authorization header.
 */
export function playgroundPage(options: PlaygroundOptions): RouteHandler {
  const asset = (name: string) => `${PLAYGROUND_ASSET_PREFIX}${name}`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cinema graph · GraphiQL</title>
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading the playground…</div>
<script id="playground-config" type="application/json">${embedJson(options)}</script>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script src="${asset('start-playground.js')}"></script>
</body>
</html>
`;
  const body = Buffer.from(html, 'utf8');
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length, ...SECURITY_HEADERS });
    res.end(body);
  };
}

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { DEVELOPMENT_SUBGRAPH_SECRET } from '@cinema/kit/config';
import { closeGracefully, listen } from '@cinema/kit/process';
import { RequestVerifier } from '@cinema/kit/signing';
import { subgraphEnvName, supergraphSubgraphNames } from '../../src/supergraph-subgraph-names.js';

export interface FakeSubgraphs {
  /** `SUBGRAPH_*_URLS` pointing every subgraph at this server. */
  env: Record<string, string>;
  /** GraphQL requests received, signed or not (health probes excluded). */
  requests: number;
  /** Requests that lacked a valid router signature. */
  unsigned: number;
  close(): Promise<void>;
}

/**
 * One HTTP server standing in for every subgraph, for router tests that must see whether anything reached a subgraph:
 * it counts GraphQL requests, checks the router's signature (development secret) and answers `{ genres }` with a
 * fixed list.
 */
export async function startFakeSubgraphs(): Promise<FakeSubgraphs> {
  const verifier = new RequestVerifier(DEVELOPMENT_SUBGRAPH_SECRET);
  const fake: FakeSubgraphs = { env: {}, requests: 0, unsigned: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      fake.requests += 1;
      const body = Buffer.concat(chunks);
      if (!verifier.verify({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body }).ok) {
        fake.unsigned += 1;
        return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"message":"unsigned"}]}');
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { genres: ['Drama', 'Western'] } }));
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/graphql`;
  const supergraph = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');
  fake.env = Object.fromEntries(supergraphSubgraphNames(supergraph).map((name) => [`SUBGRAPH_${subgraphEnvName(name)}_URLS`, url]));
  fake.close = () => closeGracefully(server, 1_000);
  return fake;
}

/**
 * The ceiling of the response cache benchmark: a bare Node HTTP server that reads each request's body and answers
 * with fixed bytes (`CEILING_BODY`, the router's cached response), with no GraphQL, no Redis and no JWT check.
 * Started as a service process, so it reports its port like every service.
 */
import { createServer } from 'node:http';
import { announceReady } from '@cinema/kit/process';

const body = Buffer.from(process.env.CEILING_BODY ?? '{}');
const server = createServer((req, res) => {
  req.resume();
  req.once('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  announceReady({ service: 'ceiling', url: `http://127.0.0.1:${port}`, port });
});
process.once('disconnect', () => process.exit(0));
process.once('SIGTERM', () => process.exit(0));

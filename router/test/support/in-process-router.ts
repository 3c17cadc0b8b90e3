import { createLogger } from '@cinema/kit/logging';
import { closeGracefully, listen } from '@cinema/kit/process';
import { loadRouterConfig } from '../../src/config.js';
import { createRouter } from '../../src/server.js';

export interface InProcessRouter {
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  close(): Promise<void>;
}

/**
 * The real router, in this process on a port the OS picks, configured from `env` alone (nothing from the test's own
 * environment). The response cache is off unless asked for, so every operation that passes the router's checks
 * reaches the subgraphs.
 */
export async function startInProcessRouter(env: Record<string, string>): Promise<InProcessRouter> {
  const config = loadRouterConfig({ PORT: '0', RESPONSE_CACHE: 'false', SUBGRAPH_HEALTH_INTERVAL_MS: '60000', ...env });
  const router = await createRouter({ config, logger: createLogger('router-test', env.LOG_LEVEL ?? 'silent') });
  const port = await listen(router.server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: async () => {
      await closeGracefully(router.server, 1_000);
      await router.stop();
    },
  };
}

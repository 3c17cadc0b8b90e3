import { setTimeout as sleep } from 'node:timers/promises';
import type { BalancerHealth } from '../../src/balancing/subgraph-balancer.js';

/** The router's `GET /health`. */
export async function routerHealth(routerUrl: string): Promise<BalancerHealth> {
  const response = await fetch(routerUrl.replace(/\/graphql$/, '/health'));
  return (await response.json()) as BalancerHealth;
}

/** Polls `/health` until `predicate` holds, failing after `timeoutMs` with the last report. */
export async function waitForHealth(routerUrl: string, predicate: (health: BalancerHealth) => boolean, timeoutMs = 20_000): Promise<BalancerHealth> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const health = await routerHealth(routerUrl);
    if (predicate(health)) return health;
    if (performance.now() > deadline) throw new Error(`router health did not reach the expected state in ${timeoutMs} ms: ${JSON.stringify(health)}`);
    await sleep(50);
  }
}

/** Every replica of every subgraph healthy, and `replicas` of each. */
export const allHealthy = (replicas: number) => (health: BalancerHealth) =>
  Object.values(health.subgraphs).every((list) => list.length === replicas && list.every((replica) => replica.state === 'healthy'));

/** The state the router gives the replica at `url`. */
export const stateOf = (health: BalancerHealth, subgraph: string, url: string) => health.subgraphs[subgraph]?.find((replica) => replica.url === url)?.state;

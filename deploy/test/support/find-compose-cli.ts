import { spawnSync } from 'node:child_process';

/**
 * The Compose command line if one is installed: the `docker compose` plugin or the standalone `docker-compose`
 * (Debian's package). Both parse and validate a file with `config` without a container engine.
 */
export function findComposeCli(): string[] | undefined {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    const [program = '', ...args] = command;
    if (spawnSync(program, [...args, 'version'], { stdio: 'ignore' }).status === 0) return command;
  }
  return undefined;
}

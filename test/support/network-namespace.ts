import { execFileSync } from 'node:child_process';

/**
 * A Linux network namespace with nothing but its own loopback: processes run in it can reach each other on
 * 127.0.0.1 and nothing else, so a test can watch them try to reach the outside without a single packet leaving
 * the machine. Needs root (CI runs as root) and iproute2.
 */
export interface NetworkNamespace {
  readonly name: string;
  /** The command line that runs `command` inside the namespace. */
  wrap(command: string[]): string[];
  /** Deletes the namespace; kill what runs in it first. Safe to call twice. */
  destroy(): void;
}

const PREFIX = 'cinema-t';

/** Whether this process may make namespaces (root with `ip` on the PATH). */
export function canCreateNetworkNamespaces(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates `cinema-t<pid>-<label>`, first deleting namespaces of this prefix left by test processes that no longer
 * run (a run killed before its clean-up), never another live run's.
 */
export function createNetworkNamespace(label: string): NetworkNamespace {
  for (const line of execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n')) {
    const leftover = /^(cinema-t(\d+)-\S+)/.exec(line);
    if (leftover && !isAlive(Number(leftover[2]))) execFileSync('ip', ['netns', 'delete', leftover[1]!], { stdio: 'ignore' });
  }
  const name = `${PREFIX}${process.pid}-${label}`.slice(0, 60);
  execFileSync('ip', ['netns', 'add', name]);
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  let destroyed = false;
  return {
    name,
    wrap: (command) => ['ip', 'netns', 'exec', name, ...command],
    destroy: () => {
      if (destroyed) return;
      destroyed = true;
      execFileSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

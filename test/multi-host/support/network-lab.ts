import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { run, runQuietly } from './run-command.js';

/** Every namespace of every run starts with this; the run's own prefix adds the owning pid (see {@link removeLeftoverLabs}). */
const LAB_PREFIX = 'cmh-';

/**
 * The lab's private subnet. It exists only inside the lab's namespaces (the bridge lives in a namespace of its own
 * and nothing is added to the machine's own namespace), so two runs on one machine cannot collide and no packet can
 * reach a real network.
 */
const SUBNET = '10.231.0';

/** Address of the lab's DNS server host; every host's resolv.conf points there. */
export const LAB_DNS_ADDRESS = `${SUBNET}.2`;

/** One machine of the lab: a network namespace with one interface on the lab's switch. */
export interface LabHost {
  /** Short name, e.g. `movies-1`. */
  name: string;
  /** The network namespace, e.g. `cmh-4242-ab12-movies-1`. */
  namespace: string;
  /** Its address on the lab's subnet. */
  address: string;
}

/** A process the lab started inside one of its hosts. */
export interface LabProcess {
  host: LabHost;
  label: string;
  child: ChildProcess;
  /** Where its stdout and stderr go. */
  logFile: string;
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM to its process group, SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Adds an IPC channel (fd 3), for Node services that report readiness over it. */
  ipc?: boolean;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Kills every process inside a namespace and deletes it, with its /etc/netns files; synchronous, for exit handlers. */
function destroyNamespaceSync(namespace: string): void {
  try {
    const pids = execFileSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    for (const pid of pids.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  } catch {
    // namespace already gone
  }
  try {
    execFileSync('ip', ['netns', 'delete', namespace], { stdio: 'ignore' });
  } catch {
    // already gone
  }
  rmSync(path.join('/etc/netns', namespace), { recursive: true, force: true });
}

/**
 * Deletes what earlier runs left behind (a run killed before its clean-up): namespaces named `cmh-<pid>-...` whose
 * pid is no longer alive, with their processes. A live run's namespaces are never touched.
 */
export async function removeLeftoverLabs(): Promise<string[]> {
  const listing = await runQuietly('ip', ['netns', 'list']);
  const removed: string[] = [];
  for (const line of listing.split('\n')) {
    const namespace = line.split(' ')[0] ?? '';
    const match = /^cmh-(\d+)-/.exec(namespace);
    if (!match || isAlive(Number(match[1]))) continue;
    destroyNamespaceSync(namespace);
    removed.push(namespace);
  }
  // resolv.conf and hosts of namespaces that are gone already.
  const etcEntries = existsSync('/etc/netns') ? readdirSync('/etc/netns') : [];
  for (const entry of etcEntries) {
    const match = /^cmh-(\d+)-/.exec(entry);
    if (match && !isAlive(Number(match[1]))) rmSync(path.join('/etc/netns', entry), { recursive: true, force: true });
  }
  return removed;
}

/**
 * Several "machines" on this one: network namespaces joined by veth pairs to a bridge that lives in a namespace of
 * its own (the switch), on a private subnet. Processes run inside a host with `ip netns exec`, which also gives them
 * that host's `/etc/resolv.conf` (the lab's DNS server) and `/etc/hosts` (localhost only), so service names resolve
 * through real DNS as in Compose or Kubernetes.
 *
 * Failures are made the way they happen between machines: {@link blackhole} makes a host silent (it still receives
 * packets, but every packet it sends is dropped by a blackhole routing rule, so peers see no answer and no reset),
 * not a killed process, which on one loopback would be refused at once.
 *
 * Everything is removed by {@link destroy}, and by a synchronous exit handler if the test process ends first.
 */
export class NetworkLab {
  readonly prefix: string;
  /** Scratch directory of the run (logs, data, sockets), removed at the end. */
  readonly dir: string;
  readonly hosts = new Map<string, LabHost>();
  private readonly processes = new Set<LabProcess>();
  private readonly namespaces: string[] = [];
  private readonly switchNamespace: string;
  private nextAddress = 2;
  private destroyed = false;
  private readonly exitHandler = () => this.destroySync();

  private constructor() {
    this.prefix = `${LAB_PREFIX}${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
    this.dir = mkdtempSync(path.join(tmpdir(), `${this.prefix}-`));
    // Services run as root, PostgreSQL as its own user: it must be able to reach its data directory.
    chmodSync(this.dir, 0o755);
    this.switchNamespace = `${this.prefix}-switch`;
    process.once('exit', this.exitHandler);
  }

  /** Creates the switch; hosts are added with {@link addHost}. */
  static async create(): Promise<NetworkLab> {
    if (process.getuid?.() !== 0) throw new Error('the multi-host harness creates network namespaces: run it as root (CI does)');
    await removeLeftoverLabs();
    const lab = new NetworkLab();
    try {
      await lab.addNamespace(lab.switchNamespace);
      await run('ip', ['-n', lab.switchNamespace, 'link', 'add', 'br0', 'type', 'bridge']);
      await run('ip', ['-n', lab.switchNamespace, 'link', 'set', 'br0', 'up']);
      return lab;
    } catch (error) {
      await lab.destroy();
      throw error;
    }
  }

  /** A new host on the switch, with the next free address. */
  async addHost(name: string): Promise<LabHost> {
    if (this.hosts.has(name)) throw new Error(`lab host ${name} exists already`);
    const index = this.nextAddress++;
    const host: LabHost = { name, namespace: `${this.prefix}-${name}`, address: `${SUBNET}.${index}` };
    // resolv.conf and hosts must exist before the first `ip netns exec`, which bind-mounts them over /etc.
    const etc = path.join('/etc/netns', host.namespace);
    mkdirSync(etc, { recursive: true });
    writeFileSync(path.join(etc, 'resolv.conf'), `nameserver ${LAB_DNS_ADDRESS}\noptions timeout:1 attempts:2\n`);
    writeFileSync(path.join(etc, 'hosts'), '127.0.0.1 localhost\n::1 localhost ip6-localhost\n');
    await this.addNamespace(host.namespace);
    const port = `p${index}`;
    // Both ends are created directly inside their namespaces: nothing ever appears in the machine's own namespace.
    await run('ip', ['link', 'add', 'eth0', 'netns', host.namespace, 'type', 'veth', 'peer', 'name', port, 'netns', this.switchNamespace]);
    await run('ip', ['-n', this.switchNamespace, 'link', 'set', port, 'master', 'br0', 'up']);
    await run('ip', ['-n', host.namespace, 'link', 'set', 'lo', 'up']);
    await run('ip', ['-n', host.namespace, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0']);
    await run('ip', ['-n', host.namespace, 'link', 'set', 'eth0', 'up']);
    this.hosts.set(name, host);
    return host;
  }

  host(name: string): LabHost {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`no lab host ${name}`);
    return host;
  }

  /**
   * Makes a host silent: a routing rule ahead of every table but `local` blackholes whatever it sends, so it keeps
   * receiving (and ARP still answers) but no reply, SYN-ACK or reset ever leaves it. To its peers it is a machine
   * whose packets are dropped, the hardest failure to detect.
   */
  async blackhole(host: LabHost): Promise<void> {
    await run('ip', ['-n', host.namespace, 'rule', 'add', 'priority', '10', 'blackhole']);
  }

  /** Undoes {@link blackhole}. */
  async heal(host: LabHost): Promise<void> {
    await run('ip', ['-n', host.namespace, 'rule', 'del', 'priority', '10']);
  }

  /** Starts `command` inside `host`, in a process group of its own, output to a log file of the run. */
  spawn(host: LabHost, label: string, command: string, args: readonly string[], options: SpawnOptions = {}): LabProcess {
    const logFile = path.join(this.dir, `${label}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn('ip', ['netns', 'exec', host.namespace, command, ...args], {
      env: options.env ?? { PATH: process.env.PATH },
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
    });
    // Two sources into one file: neither may end it when it ends.
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('close', () => log.end());
    const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    const labProcess: LabProcess = {
      host,
      label,
      child,
      logFile,
      exited,
      stop: async (graceMs = 5_000) => {
        if (child.exitCode === null && child.signalCode === null) {
          signalGroup('SIGTERM');
          const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
          await exited;
          clearTimeout(timer);
        }
        // Forked children (socat) share the group; make sure none outlives its parent.
        signalGroup('SIGKILL');
        this.processes.delete(labProcess);
      },
    };
    this.processes.add(labProcess);
    return labProcess;
  }

  /** Stops every process, then deletes every namespace and the run directory; safe to call twice. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    await Promise.all([...this.processes].map((labProcess) => labProcess.stop(3_000)));
    this.destroySync();
    // Give the kernel a moment to release veth pairs before the next run looks for leftovers.
    await sleep(50);
  }

  private destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    process.removeListener('exit', this.exitHandler);
    for (const labProcess of this.processes) {
      try {
        process.kill(-labProcess.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const namespace of [...this.namespaces].reverse()) destroyNamespaceSync(namespace);
    // MULTI_HOST_LOG_DIR keeps every process's log of the run (CI can upload them when a scenario fails).
    const keep = process.env.MULTI_HOST_LOG_DIR;
    if (keep) {
      const target = path.join(keep, this.prefix);
      mkdirSync(target, { recursive: true });
      for (const file of readdirSync(this.dir).filter((name) => name.endsWith('.log'))) cpSync(path.join(this.dir, file), path.join(target, file));
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async addNamespace(namespace: string): Promise<void> {
    this.namespaces.push(namespace);
    await run('ip', ['netns', 'add', namespace]);
  }
}

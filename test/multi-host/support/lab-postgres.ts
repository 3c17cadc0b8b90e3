import { appendFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from './run-command.js';
import type { LabHost, LabProcess, NetworkLab } from './network-lab.js';

export interface LabPostgres extends LabProcess {
  /** Connection URL for the test process, through the server's Unix socket in the run directory. */
  localUrl(user: string, password: string, database: string): string;
}

/** The newest PostgreSQL server binaries Debian installed (`/usr/lib/postgresql/<major>/bin`). */
function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) throw new Error(`no PostgreSQL server under ${root}: apt-get install postgresql`);
  return path.join(root, majors[0]!, 'bin');
}

/**
 * A PostgreSQL server of its own on a lab host: a fresh cluster (initdb, trust authentication on the lab's private
 * network) run as the `postgres` system user, since PostgreSQL refuses to run as root. It listens on the host's
 * address for the services, and on a Unix socket in the run directory for the test (migrations and seed). Durability
 * is off: the cluster lives for one run.
 */
export async function startLabPostgres(
  lab: NetworkLab,
  host: LabHost,
  port: number,
  superuser: { user: string; password: string; database: string },
): Promise<LabPostgres> {
  const bin = postgresBinDir();
  const dataDir = path.join(lab.dir, 'postgres');
  const socketDir = path.join(lab.dir, 'postgres-socket');
  mkdirSync(dataDir, { mode: 0o700 });
  mkdirSync(socketDir, { mode: 0o755 });
  await run('chown', ['postgres:postgres', dataDir, socketDir]);
  const asPostgres = ['--reuid=postgres', '--regid=postgres', '--init-groups', '--'];
  await run('setpriv', [...asPostgres, path.join(bin, 'initdb'), '-D', dataDir, '-U', superuser.user, '--auth=trust', '--encoding=UTF8', '--no-sync'], {
    timeoutMs: 120_000,
  });
  // The services connect over the lab's subnet with the password of their DATABASE_URL, as to a real server.
  const subnet = `${host.address.split('.').slice(0, 3).join('.')}.0/24`;
  appendFileSync(path.join(dataDir, 'pg_hba.conf'), `host all all ${subnet} scram-sha-256\n`);
  const started = lab.spawn(host, 'postgres', 'setpriv', [
    ...asPostgres,
    path.join(bin, 'postgres'),
    '-D',
    dataDir,
    '-p',
    String(port),
    '-k',
    socketDir,
    '-c',
    `listen_addresses=${host.address}`,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=100',
  ]);
  const localUrl = (user: string, password: string, database: string) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@localhost:${port}/${database}?host=${encodeURIComponent(socketDir)}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (started.child.exitCode !== null) throw new Error(`postgres exited; see ${started.logFile}`);
    const ready = await run(path.join(bin, 'pg_isready'), ['-h', socketDir, '-p', String(port), '-q']).then(
      () => true,
      () => false,
    );
    if (ready) {
      // initdb made only the superuser's own database when it is `postgres`; create the one the services use.
      if (superuser.database !== 'postgres') {
        await run(path.join(bin, 'createdb'), ['-h', socketDir, '-p', String(port), '-U', superuser.user, superuser.database]);
      }
      await run(path.join(bin, 'psql'), [
        '-h',
        socketDir,
        '-p',
        String(port),
        '-U',
        superuser.user,
        '-d',
        superuser.database,
        '-qc',
        `alter role ${superuser.user} password '${superuser.password.replaceAll("'", "''")}'`,
      ]);
      return Object.assign(started, { localUrl });
    }
    await sleep(100);
  }
  throw new Error(`postgres did not become ready; see ${started.logFile}`);
}

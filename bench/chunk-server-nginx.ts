import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A private nginx serving a folder as static files, for comparison with the chunk server. */
export interface NginxInstance {
  readonly baseUrl: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts Debian's nginx in the foreground with its own temporary config (`workers` worker processes, sendfile on, no access log) on
 * 127.0.0.1:`port`, serving `root`. The config mirrors what a production static origin would use for segments.
 */
export async function startNginx(options: { root: string; port: number; workers?: number; binary?: string }): Promise<NginxInstance> {
  const prefix = await mkdtemp(path.join(tmpdir(), 'bench-nginx-'));
  for (const dir of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(path.join(prefix, dir));
  const config = `
worker_processes ${options.workers ?? 1};
daemon off;
master_process on;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  open_file_cache max=1000 inactive=60s;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  types {
    application/vnd.apple.mpegurl m3u8;
    video/iso.segment m4s;
    video/mp4 mp4;
    image/jpeg jpg;
  }
  server {
    listen 127.0.0.1:${options.port};
    root ${options.root};
    location / {
      add_header Cache-Control "public, max-age=31536000, immutable";
    }
  }
}
`;
  const configFile = path.join(prefix, 'nginx.conf');
  await writeFile(configFile, config);
  const child: ChildProcess = spawn(options.binary ?? 'nginx', ['-p', prefix, '-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(
    options.port,
    () => child.exitCode !== null,
    () => stderr,
  );
  const pid = child.pid as number;
  return {
    baseUrl: `http://127.0.0.1:${options.port}`,
    pid,
    async stop() {
      // Killed by its own PID (the master stops its workers on SIGQUIT/SIGTERM), never by name.
      if (child.exitCode === null) process.kill(pid, 'SIGTERM');
      await exited;
      await rm(prefix, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, failed: () => boolean, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (failed()) throw new Error(`nginx exited at start-up: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on ${port}: ${output()}`);
}

import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { closeGracefully, listen } from '@cinema/kit/process';

/**
 * A web page that plays an HLS URL with hls.js on its default settings, as a front end would, served from
 * 127.0.0.1 with hls.js from node_modules (no CDN). `window.play(url)` starts playback (muted, so autoplay is
 * allowed); `window.player` exposes hls.js events the test may want to read: every error with its details.
 */
export interface HlsPlayerPage {
  readonly url: string;
  close(): Promise<void>;
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>player</title><script src="/hls.js"></script></head>
<body><video id="video" muted playsinline width="640" height="360"></video>
<script>
window.player = { errors: [], fragmentsFrom: [] };
window.play = (url) => {
  const video = document.getElementById('video');
  if (!Hls.isSupported()) throw new Error('hls.js: Media Source Extensions are not supported here');
  const hls = new Hls();
  hls.on(Hls.Events.ERROR, (_, data) => window.player.errors.push({ details: data.details, fatal: data.fatal }));
  hls.on(Hls.Events.FRAG_LOADED, (_, data) => window.player.fragmentsFrom.push(new URL(data.frag.url).origin));
  hls.loadSource(url);
  hls.attachMedia(video);
  window.player.hls = hls;
  return video.play().then(() => 'playing');
};
</script></body></html>`;

export async function startHlsPlayerPage(): Promise<HlsPlayerPage> {
  const require = createRequire(import.meta.url);
  const hlsScript = await readFile(require.resolve('hls.js/dist/hls.min.js'));
  const server: Server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    } else if (req.url === '/hls.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(hlsScript);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}/`, close: () => closeGracefully(server, 1_000) };
}

/**
 * The other chunk servers a master playlist should list as redundant sources, in the order players should try them.
 *
 * `peers` are the public base URLs of every replica (this one included, as players reach it); the one whose host
 * matches the request's `Host` header is this server and is left out, since the playlist's relative URIs already
 * point here. The rest are rotated to start after this server's position, so that when one replica dies its
 * viewers spread over the survivors instead of all landing on the first one listed. When no peer matches the Host
 * (a proxy in front rewrote it), every peer is listed: at worst one entry points back at this server.
 *
 * @example
 * backupOrigins(['http://a:1', 'http://b:2', 'http://c:3'], 'b:2') // ['http://c:3', 'http://a:1']
 */
export function backupOrigins(peers: readonly string[], requestHost: string | undefined): string[] {
  const host = requestHost?.toLowerCase();
  const self = host === undefined ? -1 : peers.findIndex((peer) => new URL(peer).host.toLowerCase() === host);
  if (self === -1) return [...peers];
  return [...peers.slice(self + 1), ...peers.slice(0, self)];
}

/** Normalises a configured peer base URL: an http(s) origin plus optional path, no trailing slash, no query. */
export function normalisePeerUrl(text: string): string {
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`"${text}" is not an http(s) URL`);
  if (url.search || url.hash || url.username || url.password) throw new TypeError(`"${text}" must be a plain base URL (no query, fragment or credentials)`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

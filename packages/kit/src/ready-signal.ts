/** Message a service sends its parent over the IPC channel once it listens. */
export interface ReadyMessage {
  type: 'ready';
  service: string;
  url: string;
  port: number;
}

/**
 * Tells a supervising parent (the launcher, or a test) which port the OS gave us. Services listen on port 0 in
 * tests and with replicas, so the parent cannot know the port in advance; without an IPC channel this is a no-op.
 */
export function announceReady(message: Omit<ReadyMessage, 'type'>): void {
  if (typeof process.send === 'function') process.send({ type: 'ready', ...message } satisfies ReadyMessage);
}

/**
 * Exits when the parent goes away, so that a `kill -9` of the launcher leaves no orphaned services holding ports.
 */
export function exitWithParent(onParentGone: () => void): void {
  if (typeof process.send === 'function') process.once('disconnect', onParentGone);
}

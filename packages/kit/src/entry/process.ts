/**
 * `@cinema/kit/process`: a service process's own life: listen, announce readiness to the parent, exit with it, close
 * gracefully on a signal, run shutdown hooks. Node built-ins only.
 */
export { runService, type RunnableService, type RunServiceOptions } from '../run-service.js';
export { announceReady, exitWithParent, type ReadyMessage } from '../ready-signal.js';
export { closeGracefully, listen } from '../graceful-close.js';
export { runShutdownHooks } from '../shutdown-hooks.js';

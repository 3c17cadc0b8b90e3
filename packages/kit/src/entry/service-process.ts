/**
 * `@cinema/kit/service-process`: the parent's side: start a service as a child process (its TypeScript source, or
 * its production build) and wait for its ready message. Used by the launcher, tests and benchmarks, never by a service.
 */
export { startServiceProcess, type ServiceProcess, type ServiceProcessOptions } from '../service-process.js';
export { builtEntryOf, builtInputsOf, PRODUCTION_NODE_FLAGS, serviceRuntimeFor } from '../built-entry.js';

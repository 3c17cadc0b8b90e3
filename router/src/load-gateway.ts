import { createRequire } from 'node:module';
import type * as ApolloGatewayModule from '@apollo/gateway';

type GatewayModule = typeof ApolloGatewayModule;

/** What {@link loadGateway} did to `@apollo/federation-internals`' exports, for the start-up log and tests. */
export interface FlatExports {
  /** Re-exported functions and classes now read as plain values. */
  flattened: number;
  /** Exports left as the getters they were (not functions: possibly reassigned later, so kept live). */
  kept: number;
}

/**
 * Loads `@apollo/gateway` after replacing the exports of `@apollo/federation-internals`, which it calls on every
 * object of every answer, with plain values.
 *
 * Why: that package is TypeScript compiled to CommonJS, and its index re-exports every module through getters
 * (`Object.defineProperty(exports, name, { get: () => module[name] })`). All of them are one function, so V8 sees one
 * property load with hundreds of keys and never inlines it: each `federation_internals_1.isNonNullType(type)` in the
 * gateway's execution and result shaping runs a megamorphic getter. Under 64 connections of the deep query Q2 those
 * getters alone were 5 % of the router's CPU (bench/cpu-per-request.ts profiles). The values never change once the
 * package has loaded (functions and classes assigned once, during its own initialisation), so reading them once,
 * before the gateway's modules `require` the package, changes nothing but the cost. Anything that is not a function is
 * kept as the getter it was.
 *
 * It must run before anything loads `@apollo/gateway`: the gateway's modules keep the exports object they were given.
 * If it has already been loaded (the gateway imported elsewhere first), nothing is changed.
 */
export async function loadGateway(): Promise<{ gateway: GatewayModule; flatExports: FlatExports | null }> {
  const require = createRequire(import.meta.url);
  const gatewayEntry = require.resolve('@apollo/gateway');
  // Resolved from the gateway's own location: the copy it will `require`.
  const internalsEntry = createRequire(gatewayEntry).resolve('@apollo/federation-internals');
  const flatExports = require.cache[gatewayEntry] ? null : flattenExports(require, internalsEntry);
  return { gateway: await import('@apollo/gateway'), flatExports };
}

function flattenExports(require: NodeJS.Require, entry: string): FlatExports {
  const original = require(entry) as Record<string | symbol, unknown>;
  const cached = require.cache[entry]!;
  const flat: Record<string | symbol, unknown> = {};
  let flattened = 0;
  let kept = 0;
  for (const key of Reflect.ownKeys(original)) {
    const descriptor = Object.getOwnPropertyDescriptor(original, key)!;
    const value = descriptor.get ? original[key] : undefined;
    if (descriptor.get && typeof value === 'function') {
      Object.defineProperty(flat, key, { value, enumerable: descriptor.enumerable ?? true, writable: false, configurable: false });
      flattened += 1;
    } else {
      Object.defineProperty(flat, key, descriptor);
      if (descriptor.get) kept += 1;
    }
  }
  cached.exports = flat;
  return { flattened, kept };
}

import { createRequire, syncBuiltinESMExports } from 'node:module';
import { hostname } from 'node:os';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { REQUEST_ID_HEADER } from '../identity.js';
import { createLogger } from '../logger.js';
import { onShutdown } from '../shutdown-hooks.js';
import { redactUrlPath } from './redact-url-path.js';
import type { TracingSettings } from './tracing-settings.js';

/** Probes and scrapes: a span every few seconds per replica that says nothing about a user's request. */
const UNTRACED_PATHS = new Set(['/health', '/metrics']);

/**
 * Starts OpenTelemetry tracing for this process: spans for incoming HTTP requests (continuing a W3C `traceparent`),
 * outgoing undici/fetch and `http` requests (carrying `traceparent` on), and PostgreSQL queries, batched and sent to
 * the OTLP/HTTP endpoint of the standard `OTEL_EXPORTER_OTLP_*` variables (JSON bodies). `@apollo/gateway` adds its own
 * spans (plan, fetch per subgraph) once a tracer provider is registered.
 *
 * Outgoing requests and queries are traced only inside a traced request, so background work (health probes, feed
 * polling) does not start a trace of its own every few seconds. Spans record the request id, and never a stream
 * token (see {@link redactUrlPath}). Sampling follows `OTEL_TRACES_SAMPLER` (default: always, or as the caller's
 * `traceparent` says). Buffered spans are sent before a graceful shutdown exits.
 *
 * Loaded only by `register.ts`, and only when an endpoint is configured.
 */
export function startTracing(settings: TracingSettings): void {
  const log = createLogger(settings.serviceName).child({ component: 'tracing' });
  diag.setLogger(
    {
      error: (message, ...args) => log.error({ args }, message),
      warn: (message, ...args) => log.warn({ args }, message),
      info: (message, ...args) => log.info({ args }, message),
      debug: (message, ...args) => log.debug({ args }, message),
      verbose: (message, ...args) => log.trace({ args }, message),
    },
    DiagLogLevel.WARN,
  );
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName, 'service.instance.id': `${hostname()}:${process.pid}` }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // Also installs the W3C trace context propagator and the AsyncLocalStorage context manager.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has(redactUrlPath(request.url ?? '/')),
        startIncomingSpanHook: (request) => ({ 'url.path': redactUrlPath(request.url ?? '/') }),
        requireParentforOutgoingSpans: true,
        headersToSpanAttributes: { server: { responseHeaders: [REQUEST_ID_HEADER] }, client: { requestHeaders: [REQUEST_ID_HEADER] } },
      }),
      new UndiciInstrumentation({ requireParentforSpans: true, headersToSpanAttributes: { requestHeaders: [REQUEST_ID_HEADER] } }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  // Instrumentations hook `require`, but the services import Node's `http` as ESM, which never calls it: require it
  // once so it is patched, then refresh the ESM bindings of built-ins from the patched exports.
  const require = createRequire(import.meta.url);
  require('node:http');
  require('node:https');
  syncBuiltinESMExports();
  onShutdown(() => provider.shutdown());
  log.info(
    { endpoint: process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_ENDPOINT },
    'tracing on: spans go to the OTLP endpoint',
  );
}

import path from 'node:path';

/** How this process traces, when it does. */
export interface TracingSettings {
  /** `service.name` of every span: `OTEL_SERVICE_NAME`, else the folder of the entry file (`movies`, `router`). */
  serviceName: string;
}

/**
 * Whether to trace, from the standard OpenTelemetry variables: only when an OTLP endpoint is configured
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) and `OTEL_SDK_DISABLED` is not `true`.
 * Null means no tracing, and then nothing of OpenTelemetry's SDK is loaded.
 *
 * The default service name comes from the entry path (`subgraphs/movies/src/index.ts` → `movies`), which is the same
 * for `npm start`, the tests and the container images, so no deployment has to set it.
 */
export function tracingSettingsFrom(env: NodeJS.ProcessEnv, entry: string | undefined): TracingSettings | null {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return null;
  const fromEntry = entry ? path.basename(path.dirname(path.dirname(path.resolve(entry)))) : '';
  return { serviceName: env.OTEL_SERVICE_NAME || fromEntry || 'unknown_service:node' };
}

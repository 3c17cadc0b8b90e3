import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpCollector, type OtlpCollector } from '../../../test/support/otlp-collector.js';

const run = promisify(execFile);
const register = fileURLToPath(new URL('../src/tracing/register.ts', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/traced-process.ts', import.meta.url));

/** Runs the fixture the way `startServiceProcess` runs a service, with only the given OTEL_* variables. */
async function runTracedProcess(otelEnv: Record<string, string>, traceparent: string) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--import', register, fixture, traceparent], {
    env: { ...env, ...otelEnv },
    timeout: 30_000,
  });
  const report = stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{"openTelemetryPackages"'))
    .at(-1);
  return JSON.parse(report ?? '{}') as { openTelemetryPackages: string[] };
}

let collector: OtlpCollector;
beforeAll(async () => {
  collector = await startOtlpCollector();
});
afterAll(async () => {
  await collector?.close();
});

const newTraceparent = () => {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
};

describe('the tracing preload', () => {
  it('loads nothing of OpenTelemetry without an OTLP endpoint', async () => {
    const { openTelemetryPackages } = await runTracedProcess({ OTEL_SERVICE_NAME: 'fixture' }, newTraceparent().header);
    expect(openTelemetryPackages).toEqual([]);
  });

  it('loads nothing when the SDK is disabled, even with an endpoint', async () => {
    const { openTelemetryPackages } = await runTracedProcess(
      { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_SDK_DISABLED: 'true' },
      newTraceparent().header,
    );
    expect(openTelemetryPackages).toEqual([]);
  });

  it("with an endpoint, continues the caller's trace in an ESM service and sends the spans before exit", async () => {
    const parent = newTraceparent();
    const { openTelemetryPackages } = await runTracedProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_SERVICE_NAME: 'fixture' }, parent.header);
    expect(openTelemetryPackages).toEqual(
      expect.arrayContaining(['@opentelemetry/sdk-trace-node', '@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-undici']),
    );
    // No waiting: the default batch delay is 5 s, so these spans arrived through the shutdown flush.
    const trace = collector.spans.filter((span) => span.traceId === parent.traceId);
    const server = trace.find((span) => span.kind === 2);
    expect(server).toMatchObject({ service: 'fixture', scope: '@opentelemetry/instrumentation-http', parentSpanId: parent.spanId });
    // The fixture's own fetch ran outside any traced request: background calls start no spans.
    expect(trace.filter((span) => span.kind === 3)).toEqual([]);
    expect(server?.attributes['url.path']).toBe('/hello');
  });
});

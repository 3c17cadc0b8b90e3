import { describe, expect, it } from 'vitest';
import { tracingSettingsFrom } from '../src/tracing/tracing-settings.js';

const entry = '/app/subgraphs/movies/src/index.ts';

describe('tracingSettingsFrom', () => {
  it('is off without an OTLP endpoint', () => {
    expect(tracingSettingsFrom({}, entry)).toBeNull();
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }, entry)).toBeNull();
    expect(tracingSettingsFrom({ OTEL_SERVICE_NAME: 'movies' }, entry)).toBeNull();
  });

  it('is on with the general or the traces endpoint, unless the SDK is disabled', () => {
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, entry)).not.toBeNull();
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, entry)).not.toBeNull();
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'TRUE' }, entry)).toBeNull();
  });

  it("names the service after its entry's folder unless OTEL_SERVICE_NAME says otherwise", () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingSettingsFrom(env, entry)?.serviceName).toBe('movies');
    expect(tracingSettingsFrom(env, 'router/src/index.ts')?.serviceName).toBe('router');
    expect(tracingSettingsFrom(env, '/app/chunk-server/src/index.ts')?.serviceName).toBe('chunk-server');
    expect(tracingSettingsFrom({ ...env, OTEL_SERVICE_NAME: 'movies-eu' }, entry)?.serviceName).toBe('movies-eu');
  });
});

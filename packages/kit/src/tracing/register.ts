/**
 * Turns tracing on before a service's own modules load: `node --import tsx --import <this file> <entry>` (as
 * `startServiceProcess` and the container images run every service). Instrumentations must be in place before `http`
 * and `pg` are first loaded, which a call from the service's `index.ts` would come too late for. Without an OTLP
 * endpoint configured it does nothing and loads nothing more (see `tracingSettingsFrom`).
 */
import { tracingSettingsFrom } from './tracing-settings.js';

const settings = tracingSettingsFrom(process.env, process.argv[1]);
if (settings) {
  const { startTracing } = await import('./start-tracing.js');
  startTracing(settings);
}

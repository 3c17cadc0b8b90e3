/** `@cinema/kit/metrics`: Prometheus metrics every service exposes on `/metrics` (prom-client). */
export { ServiceMetrics, type CacheStats } from '../service-metrics.js';

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';

/**
 * The environment switch that `@apollo/gateway` 2.14 reads, once, in its constructor. Unless it is `true` or `1`
 * there, the gateway starts an OpenTelemetry meter provider that runs cloud resource detectors (HTTP to the AWS,
 * Azure and Alibaba metadata addresses, a DNS lookup of `metadata.google.internal`) and exports usage metrics to
 * Apollo's servers every hour (`dist/utilities/opentelemetry.js`, `createDataCollectionExporter`).
 */
const GATEWAY_TELEMETRY_SWITCH = 'APOLLO_TELEMETRY_DISABLED';

/**
 * Runs `construct` (the `new ApolloGateway(...)` call) with Apollo's usage telemetry off unless `optIn` is set.
 *
 * Why this way: the library offers no constructor option, only that environment variable, and an operator must not
 * have to know about it for their host's cloud identity to stay unprobed. So the router sets it itself for the
 * duration of the synchronous constructor and puts the environment back afterwards, whatever it was: the decision is
 * the router's configuration (`APOLLO_TELEMETRY`), not whatever the process inherited.
 */
export function withoutApolloTelemetry<T>(optIn: boolean, construct: () => T): T {
  const inherited = process.env[GATEWAY_TELEMETRY_SWITCH];
  if (optIn) delete process.env[GATEWAY_TELEMETRY_SWITCH];
  else process.env[GATEWAY_TELEMETRY_SWITCH] = 'true';
  try {
    return construct();
  } finally {
    if (inherited === undefined) delete process.env[GATEWAY_TELEMETRY_SWITCH];
    else process.env[GATEWAY_TELEMETRY_SWITCH] = inherited;
  }
}

/**
 * The plugins that keep Apollo Server's own reporting off unless `optIn` is set: with `APOLLO_KEY` and
 * `APOLLO_GRAPH_REF` in the environment (left there for another tool, say), Apollo Server installs usage reporting
 * by itself and sends every operation's signature to `usage-reporting.api.apollographql.com`; with
 * `APOLLO_SCHEMA_REPORTING=true` it reports the schema too. An explicitly disabled plugin stops both, so those
 * variables only take effect once the operator has turned Apollo telemetry on (`APOLLO_TELEMETRY=true`).
 */
export function apolloReportingPlugins(optIn: boolean): ApolloServerPlugin<BaseContext>[] {
  return optIn ? [] : [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()];
}

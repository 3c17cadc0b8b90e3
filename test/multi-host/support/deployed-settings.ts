import path from 'node:path';
import { readPlatformSubgraphs } from '@cinema/data-tools';
import { loadComposeFile, type ComposeService } from '../../../deploy/test/support/load-compose-file.js';
import { loadKubernetesManifests, type KubernetesObject } from '../../../deploy/test/support/load-kubernetes-manifests.js';
import { repoRoot } from '../../../deploy/test/support/repo-paths.js';

/** The services the multi-host harness runs besides the subgraphs, by their Compose service name. */
export const LAB_SERVICES = ['postgres', 'redis', 'chunk-server', 'router'] as const;
export type LabService = (typeof LAB_SERVICES)[number];

/** One environment as a deployment gives it: unset entries (passed through from the host in Compose) left out. */
export type ServiceEnvironment = Record<string, string>;

/**
 * What the deployment descriptors say about how the services find each other, read from `docker-compose.yml` and
 * `deploy/k8s` rather than repeated here, so the harness rehearses what is deployed.
 */
export interface DeployedSettings {
  /**
   * The platform's subgraphs, from `schema/supergraph.yaml` (the list the router composes and the deploy tests
   * check every descriptor against), so a subgraph added there is run by the lab too.
   */
  subgraphs: readonly string[];
  /** Each service's environment in Compose (YAML anchors merged, `${VAR:-default}` interpolated without overrides). */
  environment: Record<Exclude<LabService, 'postgres' | 'redis'>, ServiceEnvironment> & Partial<Record<string, ServiceEnvironment>>;
  /** The port each service listens on (Compose `PORT`, or the image's well-known port for PostgreSQL and Redis). */
  ports: Record<LabService, number> & Partial<Record<string, number>>;
  /** Replicas Compose runs of each scaled service (every subgraph and the chunk server). */
  replicas: Record<'chunk-server', number> & Partial<Record<string, number>>;
  /** The path every orchestrator probes (Kubernetes readiness probes, Compose health checks). */
  healthPath: string;
  /** The router's subgraph entries in Kubernetes, by subgraph, for comparison with Compose's. */
  kubernetesRouterUrls: Partial<Record<string, string>>;
}

const composeFile = path.join(repoRoot, 'docker-compose.yml');
const manifestsDir = path.join(repoRoot, 'deploy', 'k8s');

function environmentOf(service: ComposeService | undefined, name: string): ServiceEnvironment {
  if (!service) throw new Error(`docker-compose.yml has no service ${name}`);
  const entries = Object.entries(service.environment ?? {}).filter(([, value]) => value !== null && value !== '');
  return Object.fromEntries(entries.map(([key, value]) => [key, String(value)]));
}

function portOfUrl(url: string | undefined, what: string): number {
  if (!url) throw new Error(`${what} is not set`);
  const port = new URL(url).port;
  if (!port) throw new Error(`${what} (${url}) names no port`);
  return Number(port);
}

interface Container {
  name: string;
  env?: { name: string; value?: string }[];
  readinessProbe?: { httpGet?: { path?: string } };
}

function deploymentContainer(objects: KubernetesObject[], name: string): Container {
  const deployment = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === name) as
    (KubernetesObject & { spec: { template: { spec: { containers: Container[] } } } }) | undefined;
  const container = deployment?.spec.template.spec.containers.find((candidate) => candidate.name === name);
  if (!container) throw new Error(`deploy/k8s has no Deployment ${name} with a container ${name}`);
  return container;
}

/** Reads both descriptors; throws when one lacks something the harness needs, naming it. */
export function loadDeployedSettings(): DeployedSettings {
  const compose = loadComposeFile(composeFile);
  const subgraphs = readPlatformSubgraphs();
  if (!subgraphs.includes('movies')) throw new Error('schema/supergraph.yaml has no movies subgraph, which the lab scenarios use');
  const subgraphEnvironments = Object.fromEntries(subgraphs.map((name) => [name, environmentOf(compose.services[name], name)]));
  const environment = {
    ...subgraphEnvironments,
    'chunk-server': environmentOf(compose.services['chunk-server'], 'chunk-server'),
    router: environmentOf(compose.services.router, 'router'),
  };
  const ports = {
    postgres: portOfUrl(subgraphEnvironments.movies!.DATABASE_URL?.replace(/^postgres(ql)?:/, 'http:'), 'movies DATABASE_URL'),
    redis: portOfUrl(environment.router.REDIS_URL?.replace(/^redis:/, 'http:'), 'router REDIS_URL'),
    ...Object.fromEntries(subgraphs.map((name) => [name, Number(subgraphEnvironments[name]!.PORT)])),
    'chunk-server': Number(environment['chunk-server'].PORT),
    router: Number(environment.router.PORT),
  };
  const replicas = {
    ...Object.fromEntries(subgraphs.map((name) => [name, compose.services[name]?.deploy?.replicas ?? 1])),
    'chunk-server': compose.services['chunk-server']?.deploy?.replicas ?? 1,
  };

  const objects = loadKubernetesManifests(manifestsDir).map((entry) => entry.object);
  const router = deploymentContainer(objects, 'router');
  const envValue = (container: Container, name: string) => {
    const value = container.env?.find((entry) => entry.name === name)?.value;
    if (!value) throw new Error(`deploy/k8s router has no ${name}`);
    return value;
  };
  const kubernetesRouterUrls = Object.fromEntries(subgraphs.map((name) => [name, envValue(router, `SUBGRAPH_${name.toUpperCase()}_URLS`)]));
  const probePaths = new Set([...subgraphs, 'chunk-server', 'router'].map((name) => deploymentContainer(objects, name).readinessProbe?.httpGet?.path));
  if (probePaths.size !== 1) throw new Error(`deploy/k8s readiness probes use different paths: ${[...probePaths].join(', ')}`);
  const healthPath = [...probePaths][0];
  if (!healthPath) throw new Error('deploy/k8s readiness probes have no httpGet path');
  return { subgraphs, environment, ports, replicas, healthPath, kubernetesRouterUrls };
}

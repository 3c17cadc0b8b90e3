import path from 'node:path';
import { loadComposeFile, type ComposeService } from '../../../deploy/test/support/load-compose-file.js';
import { loadKubernetesManifests, type KubernetesObject } from '../../../deploy/test/support/load-kubernetes-manifests.js';
import { repoRoot } from '../../../deploy/test/support/repo-paths.js';

/** The services the multi-host harness runs, by their Compose service name. */
export const LAB_SERVICES = ['postgres', 'redis', 'movies', 'people', 'ratings', 'chunk-server', 'router'] as const;
export type LabService = (typeof LAB_SERVICES)[number];

/** One environment as a deployment gives it: unset entries (passed through from the host in Compose) left out. */
export type ServiceEnvironment = Record<string, string>;

/**
 * What the deployment descriptors say about how the services find each other, read from `docker-compose.yml` and
 * `deploy/k8s` rather than repeated here, so the harness rehearses what is deployed.
 */
export interface DeployedSettings {
  /** Each service's environment in Compose (YAML anchors merged, `${VAR:-default}` interpolated without overrides). */
  environment: Record<Exclude<LabService, 'postgres' | 'redis'>, ServiceEnvironment>;
  /** The port each service listens on (Compose `PORT`, or the image's well-known port for PostgreSQL and Redis). */
  ports: Record<LabService, number>;
  /** Replicas Compose runs of each scaled service. */
  replicas: Record<'movies' | 'people' | 'ratings' | 'chunk-server', number>;
  /** The path every orchestrator probes (Kubernetes readiness probes, Compose health checks). */
  healthPath: string;
  /** The router's subgraph entries in Kubernetes, for comparison with Compose's. */
  kubernetesRouterUrls: Record<'movies' | 'people' | 'ratings', string>;
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
  const environment = {
    movies: environmentOf(compose.services.movies, 'movies'),
    people: environmentOf(compose.services.people, 'people'),
    ratings: environmentOf(compose.services.ratings, 'ratings'),
    'chunk-server': environmentOf(compose.services['chunk-server'], 'chunk-server'),
    router: environmentOf(compose.services.router, 'router'),
  };
  const ports: Record<LabService, number> = {
    postgres: portOfUrl(environment.movies.DATABASE_URL?.replace(/^postgres(ql)?:/, 'http:'), 'movies DATABASE_URL'),
    redis: portOfUrl(environment.router.REDIS_URL?.replace(/^redis:/, 'http:'), 'router REDIS_URL'),
    movies: Number(environment.movies.PORT),
    people: Number(environment.people.PORT),
    ratings: Number(environment.ratings.PORT),
    'chunk-server': Number(environment['chunk-server'].PORT),
    router: Number(environment.router.PORT),
  };
  const replicas = {
    movies: compose.services.movies?.deploy?.replicas ?? 1,
    people: compose.services.people?.deploy?.replicas ?? 1,
    ratings: compose.services.ratings?.deploy?.replicas ?? 1,
    'chunk-server': compose.services['chunk-server']?.deploy?.replicas ?? 1,
  };

  const objects = loadKubernetesManifests(manifestsDir).map((entry) => entry.object);
  const router = deploymentContainer(objects, 'router');
  const envValue = (container: Container, name: string) => {
    const value = container.env?.find((entry) => entry.name === name)?.value;
    if (!value) throw new Error(`deploy/k8s router has no ${name}`);
    return value;
  };
  const kubernetesRouterUrls = {
    movies: envValue(router, 'SUBGRAPH_MOVIES_URLS'),
    people: envValue(router, 'SUBGRAPH_PEOPLE_URLS'),
    ratings: envValue(router, 'SUBGRAPH_RATINGS_URLS'),
  };
  const probePaths = new Set(
    (['movies', 'people', 'ratings', 'chunk-server', 'router'] as const).map((name) => deploymentContainer(objects, name).readinessProbe?.httpGet?.path),
  );
  if (probePaths.size !== 1) throw new Error(`deploy/k8s readiness probes use different paths: ${[...probePaths].join(', ')}`);
  const healthPath = [...probePaths][0];
  if (!healthPath) throw new Error('deploy/k8s readiness probes have no httpGet path');
  return { environment, ports, replicas, healthPath, kubernetesRouterUrls };
}

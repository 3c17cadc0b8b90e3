import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadChunkServerConfig } from '../../chunk-server/src/config.js';
import { loadRouterConfig } from '../../router/src/config.js';
import { loadKubernetesManifests, type KubernetesObject } from './support/load-kubernetes-manifests.js';
import { feedConsumers, platformSubgraphs, subgraphConfigLoaders } from './support/platform-subgraphs.js';
import { readDockerfileStages } from './support/read-dockerfile-stages.js';
import { repoRoot } from './support/repo-paths.js';
import { validateKubernetesObject } from './support/validate-kubernetes-object.js';

// Just the fields asserted below; the schema validation covers the rest.
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
  failureThreshold?: number;
  periodSeconds?: number;
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; privileged?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
  volumes?: { name: string; emptyDir?: object }[];
}
interface Workload extends KubernetesObject {
  spec: { replicas?: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}
interface JobObject extends KubernetesObject {
  spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}
interface ServiceObject extends KubernetesObject {
  spec: { clusterIP?: string; type?: string; selector: Record<string, string>; ports: { name: string; port: number; targetPort: string | number }[] };
}
interface Autoscaler extends KubernetesObject {
  spec: {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
    metrics: { type: string; resource?: { name: string } }[];
  };
}

const folder = path.join(repoRoot, 'deploy', 'k8s');
const manifests = loadKubernetesManifests(folder);
const objects = manifests.map((m) => m.object);
const find = <T extends KubernetesObject>(kind: string, name: string): T => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`deploy/k8s has no ${kind} ${name}`);
  return found as T;
};
const ofKind = <T extends KubernetesObject>(kind: string): T[] => objects.filter((o) => o.kind === kind) as T[];
const subgraphs = platformSubgraphs;
const servers = [...subgraphs, 'router', 'chunk-server'];
const podSpecs = (): { owner: string; spec: PodSpec }[] => [
  ...[...ofKind<Workload>('Deployment'), ...ofKind<Workload>('StatefulSet'), ...ofKind<JobObject>('Job')].map((o) => ({
    owner: `${o.kind} ${o.metadata.name}`,
    spec: o.spec.template.spec,
  })),
];
const mainContainer = (name: string): Container => {
  const container = find<Workload>('Deployment', name).spec.template.spec.containers[0];
  if (!container) throw new Error(`Deployment ${name} has no container`);
  return container;
};
const secret = find<KubernetesObject & { stringData: Record<string, string> }>('Secret', 'cinema-secrets');
const config = find<KubernetesObject & { data: Record<string, string> }>('ConfigMap', 'cinema-config');

/** The environment a container starts with: envFrom ConfigMaps, then env, with Secret values taken from `secrets`. */
const containerEnv = (container: Container, secrets: Record<string, string>): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, find<KubernetesObject & { data: Record<string, string> }>('ConfigMap', source.configMapRef.name).data);
  }
  for (const variable of container.env ?? []) {
    const fromSecret = variable.valueFrom?.secretKeyRef;
    const value = fromSecret ? secrets[fromSecret.key] : variable.value;
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
};

describe('deploy/k8s manifests', () => {
  it('are valid against the Kubernetes API schemas of their kinds', () => {
    const invalid = manifests.flatMap(({ file, object }) =>
      validateKubernetesObject(object).map((error) => `${file} ${object.kind} ${object.metadata.name}: ${error}`),
    );
    expect(invalid).toEqual([]);
  });

  it('the schema validation is not vacuous: it rejects a missing selector and a malformed quantity', () => {
    const deployment = structuredClone(find<Workload>('Deployment', 'movies'));
    delete (deployment.spec as Partial<Workload['spec']>).selector;
    deployment.spec.template.spec.containers[0]!.resources!.limits!.memory = '512 megabytes';
    const errors = validateKubernetesObject(deployment).join('\n');
    expect(errors).toContain('data/spec must have required property selector');
    expect(errors).toContain('data/spec/template/spec/containers/0/resources/limits/memory must match format "quantity"');
  });

  it('are all listed in kustomization.yaml and all live in the cinema namespace', () => {
    const kustomization = parse(readFileSync(path.join(folder, 'kustomization.yaml'), 'utf8')) as { namespace: string; resources: string[] };
    expect(kustomization.namespace).toBe('cinema');
    expect([...kustomization.resources].sort()).toEqual([...new Set(manifests.map((m) => m.file))].sort());
    find('Namespace', 'cinema');
    for (const object of objects.filter((o) => o.kind !== 'Namespace'))
      expect(object.metadata.namespace, `${object.kind} ${object.metadata.name}`).toBe('cinema');
  });

  it('deploys every server with readiness and liveness probes on GET /health of its declared port', () => {
    for (const name of servers) {
      const container = mainContainer(name);
      const portNames = (container.ports ?? []).map((p) => p.name);
      for (const probe of [container.readinessProbe, container.livenessProbe]) {
        expect(probe?.httpGet?.path, name).toBe('/health');
        expect(portNames, name).toContain(probe?.httpGet?.port);
      }
      // Liveness gives up later than readiness: a replica leaves the rotation long before it is restarted.
      const patience = (p?: Probe) => (p?.failureThreshold ?? 3) * (p?.periodSeconds ?? 10);
      expect(patience(container.livenessProbe), name).toBeGreaterThan(patience(container.readinessProbe));
    }
  });

  it('runs at least two replicas of every server, with no downtime during a rolling update', () => {
    for (const name of servers) {
      const deployment = find<Workload & { spec: { strategy?: { rollingUpdate?: { maxUnavailable?: number } } } }>('Deployment', name);
      expect(deployment.spec.replicas, name).toBeGreaterThanOrEqual(2);
      expect(deployment.spec.strategy?.rollingUpdate?.maxUnavailable, name).toBe(0);
    }
  });

  it('gives every container CPU and memory requests and limits', () => {
    for (const { owner, spec } of podSpecs()) {
      for (const container of spec.containers) {
        for (const bound of ['requests', 'limits'] as const) {
          expect(Object.keys(container.resources?.[bound] ?? {}).sort(), `${owner} ${container.name} ${bound}`).toEqual(['cpu', 'memory']);
        }
      }
    }
  });

  it('meets the restricted Pod Security Standard the namespace enforces', () => {
    expect(find('Namespace', 'cinema').metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const { owner, spec } of podSpecs()) {
      expect(spec.securityContext?.runAsNonRoot, owner).toBe(true);
      expect(spec.securityContext?.seccompProfile?.type, owner).toBe('RuntimeDefault');
      for (const container of spec.containers) {
        expect(container.securityContext?.allowPrivilegeEscalation, `${owner} ${container.name}`).toBe(false);
        expect(container.securityContext?.privileged ?? false, `${owner} ${container.name}`).toBe(false);
        expect(container.securityContext?.capabilities?.drop, `${owner} ${container.name}`).toEqual(['ALL']);
      }
    }
  });

  it('runs images built from the Dockerfile, pinned, with a read-only root and a writable /tmp', () => {
    const stages = readDockerfileStages(readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8'));
    for (const { owner, spec } of podSpecs()) {
      for (const container of spec.containers) {
        expect(container.image, owner).toMatch(/^[a-z0-9./-]+:[\w.-]+$/);
        expect(container.image, owner).not.toMatch(/:latest$/);
        const ours = /^cinema-graph\/([\w-]+):/.exec(container.image)?.[1];
        if (!ours) continue;
        expect(stages.has(ours), `${owner}: Dockerfile target ${ours}`).toBe(true);
        expect(container.securityContext?.readOnlyRootFilesystem, owner).toBe(true);
        const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
        expect(spec.volumes?.find((v) => v.name === tmp?.name)?.emptyDir, `${owner}: /tmp is an emptyDir`).toBeDefined();
      }
    }
  });

  it('discovers subgraph replicas through headless Services, and exposes the router through a normal one', () => {
    for (const name of subgraphs) {
      const service = find<ServiceObject>('Service', name);
      expect(service.spec.clusterIP, name).toBe('None');
      expect(
        service.spec.ports.map((p) => p.port),
        name,
      ).toEqual([mainContainer(name).ports?.[0]?.containerPort]);
    }
    const router = find<ServiceObject>('Service', 'router');
    expect(router.spec.clusterIP).toBeUndefined();
    expect(router.spec.type).toBe('ClusterIP');
    for (const service of ofKind<ServiceObject>('Service')) {
      const pods = [...ofKind<Workload>('Deployment'), ...ofKind<Workload>('StatefulSet')].filter((w) =>
        Object.entries(service.spec.selector).every(([key, value]) => w.spec.template.metadata.labels[key] === value),
      );
      expect(pods.length, `Service ${service.metadata.name} selects a workload`).toBe(1);
      const portNames = pods[0]!.spec.template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name));
      for (const port of service.spec.ports) expect(portNames, `Service ${service.metadata.name}`).toContain(port.targetPort);
    }
    for (const workload of ofKind<Workload>('Deployment')) {
      expect(workload.spec.template.metadata.labels, workload.metadata.name).toMatchObject(workload.spec.selector.matchLabels);
    }
  });

  it('autoscales the router and every subgraph on CPU with autoscaling/v2', () => {
    const autoscalers = ofKind<Autoscaler>('HorizontalPodAutoscaler');
    for (const name of ['router', ...subgraphs]) {
      const hpa = autoscalers.find((a) => a.spec.scaleTargetRef.name === name);
      expect(hpa?.apiVersion, name).toBe('autoscaling/v2');
      expect(hpa?.spec.scaleTargetRef, name).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      expect(hpa?.spec.minReplicas, name).toBeGreaterThanOrEqual(2);
      expect(hpa?.spec.maxReplicas, name).toBeGreaterThan(hpa?.spec.minReplicas ?? 0);
      expect(
        hpa?.spec.metrics.map((m) => m.resource?.name),
        name,
      ).toContain('cpu');
      find('Deployment', name);
    }
  });

  it('runs PostgreSQL and Redis as StatefulSets and migrations as a Job', () => {
    find('StatefulSet', 'postgres');
    find('StatefulSet', 'redis');
    const job = find<JobObject>('Job', 'prepare-database');
    const container = job.spec.template.spec.containers[0]!;
    expect(container.image).toBe('cinema-graph/migrate:0.1.0');
    expect(container.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'cinema-secrets', key: 'DATABASE_URL' });
  });

  it('refers only to ConfigMap and Secret keys that exist', () => {
    for (const { owner, spec } of podSpecs()) {
      for (const container of spec.containers) {
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref) expect(Object.keys(find<typeof secret>('Secret', ref.name).stringData), `${owner} ${variable.name}`).toContain(ref.key);
        }
        for (const source of container.envFrom ?? []) if (source.configMapRef) find('ConfigMap', source.configMapRef.name);
      }
    }
  });

  it('gives every server an environment its config schema accepts once real secrets replace the placeholders', () => {
    const realSecrets = { ...secret.stringData, JWT_SECRET: 'j'.repeat(40), SUBGRAPH_SECRET: 'g'.repeat(40), STREAM_KEYS: `k1:${'s'.repeat(40)}` };
    const loaders: Record<string, (env: NodeJS.ProcessEnv) => unknown> = {
      ...subgraphConfigLoaders,
      router: loadRouterConfig,
      'chunk-server': loadChunkServerConfig,
    };
    expect(config.data.NODE_ENV).toBe('production');
    for (const [name, load] of Object.entries(loaders)) expect(() => load(containerEnv(mainContainer(name), realSecrets)), name).not.toThrow();
  });

  it("keeps Apollo's usage telemetry off: the router as deployed sends nothing to Apollo or to cloud metadata endpoints", () => {
    const realSecrets = { ...secret.stringData, JWT_SECRET: 'j'.repeat(40), SUBGRAPH_SECRET: 'g'.repeat(40) };
    expect(loadRouterConfig(containerEnv(mainContainer('router'), realSecrets)).APOLLO_TELEMETRY).toBe(false);
  });

  it('the placeholder secrets are refused at start-up, so they cannot reach production', () => {
    expect(() => loadRouterConfig(containerEnv(mainContainer('router'), secret.stringData))).toThrow(/JWT_SECRET must be at least 32 characters/);
    expect(() => loadChunkServerConfig(containerEnv(mainContainer('chunk-server'), secret.stringData))).toThrow(/STREAM_KEYS/);
    for (const name of subgraphs) {
      expect(() => subgraphConfigLoaders[name]!(containerEnv(mainContainer(name), secret.stringData)), name).toThrow(
        /SUBGRAPH_SECRET must be at least 32 characters/,
      );
    }
  });

  it('wires the router and the catalogue feed consumers to the headless Services by cluster DNS name and port', () => {
    const router = containerEnv(mainContainer('router'), secret.stringData);
    for (const name of subgraphs) {
      const url = new URL(router[`SUBGRAPH_${name.toUpperCase()}_URLS`] ?? '');
      expect([url.protocol, url.hostname, Number(url.port), url.pathname], name).toEqual([
        'dns:',
        `${name}.cinema.svc.cluster.local`,
        find<ServiceObject>('Service', name).spec.ports[0]?.port,
        '/graphql',
      ]);
    }
    expect(feedConsumers).toContain('ratings');
    for (const name of feedConsumers) {
      const feed = new URL(containerEnv(mainContainer(name), secret.stringData).MOVIES_FEED_URL ?? '');
      expect([feed.hostname, Number(feed.port)], name).toEqual([
        'movies.cinema.svc.cluster.local',
        find<ServiceObject>('Service', 'movies').spec.ports[0]?.port,
      ]);
    }
    const database = new URL(secret.stringData.DATABASE_URL ?? '');
    expect([database.hostname, database.password]).toEqual(['postgres.cinema.svc.cluster.local', secret.stringData.POSTGRES_PASSWORD]);
  });
});

import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import type { KubernetesObject } from './load-kubernetes-manifests.js';

interface ValidatingModel {
  validate(): void;
}

// The kinds the manifests use, by `apiVersion/kind`; anything else is refused rather than passed unchecked.
const models: Record<string, new (data: never) => ValidatingModel> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

/**
 * Checks one object against the Kubernetes OpenAPI schema of its kind, offline, with the validators that
 * `kubernetes-models` generates from the Kubernetes API definitions: required fields, types, enums, formats such as
 * resource quantities. Returns the violations, empty when valid. Unknown fields are not reported (the API schemas
 * allow them); the deployment tests assert the fields that matter by name.
 */
export function validateKubernetesObject(object: KubernetesObject): string[] {
  const Model = models[`${object.apiVersion}/${object.kind}`];
  if (!Model) return [`${object.apiVersion} ${object.kind} has no schema here; add its model to validate-kubernetes-object.ts`];
  try {
    new Model(object as never).validate();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

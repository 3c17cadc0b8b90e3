import { fileURLToPath } from 'node:url';
import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadExampleOperations } from '../src/playground/example-operations.js';

describe('the playground examples', () => {
  const examples = loadExampleOperations(fileURLToPath(new URL('../../examples', import.meta.url)));

  it('each carry variables for every required variable of their operation, so each tab runs as it opens', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const example of examples) {
      const document = parse(example.query);
      const name = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION)?.name?.value;
      expect(example.variables, name).toBeDefined();
      const variables = JSON.parse(example.variables!) as Record<string, unknown>;
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        for (const variable of definition.variableDefinitions ?? []) {
          if (variable.type.kind === Kind.NON_NULL_TYPE && !variable.defaultValue)
            expect(variables, `${name} $${variable.variable.name.value}`).toHaveProperty(variable.variable.name.value);
        }
      }
    }
  });

  it('open on the catalogue filtered by genre, which the browser test checks', () => {
    expect(examples[0]!.query).toContain('query BrowseCatalogue');
    expect(JSON.parse(examples[0]!.variables!)).toEqual({ genre: 'Comedy', first: 20, after: null });
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ExampleOperation {
  query: string;
  variables?: string;
}

/**
 * The operations in `examples/*.graphql`, as playground tabs. A `# Variables: {...}` comment line in a file
 * becomes the tab's variables, so the examples run as they are. The same files are validated against the
 * supergraph by `npm run schema:check`, so the playground never opens on a broken query.
 */
export function loadExampleOperations(folder: string): ExampleOperation[] {
  let files: string[];
  try {
    files = readdirSync(folder)
      .filter((file) => file.endsWith('.graphql'))
      .sort();
  } catch {
    return [];
  }
  return files.map((file) => {
    const query = readFileSync(path.join(folder, file), 'utf8');
    const variables = /^#\s*Variables:\s*(\{.*\})/m.exec(query)?.[1];
    return variables ? { query, variables: JSON.stringify(JSON.parse(variables), null, 2) } : { query };
  });
}

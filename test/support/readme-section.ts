import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@cinema/data-tools';

/**
 * The text of the README's `## <title>` section, up to the next `## ` heading. Tests read the README itself, so
 * what they check is what a newcomer reads; a missing section fails instead of checking nothing.
 */
export function readmeSection(title: string): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start === -1) throw new Error(`README.md has no "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The fenced code blocks of a README section written in `language` (e.g. `ts`), in order, without their fences. */
export function readmeCodeBlocks(title: string, language: string): string[] {
  const fence = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm');
  return [...readmeSection(title).matchAll(fence)].map((match) => match[1]!);
}

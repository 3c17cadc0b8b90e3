import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

const intentionalChangeSchema = z.object({
  /** Schema coordinate the change is at, as the breaking-change check prints it: `Movie.posterUrl`, `Query.movie.id`. */
  path: z.string().min(1),
  /** Kind of change, as printed by the check: `FIELD_REMOVED`, `FIELD_TYPE_CHANGED`, ... */
  change: z.string().regex(/^[A-Z_]+$/, 'change is a change kind such as FIELD_REMOVED'),
  /** Why breaking clients is acceptable: who was told, what replaces it. */
  reason: z.string().trim().min(10, 'reason must say why the break is acceptable (10 characters at least)'),
});

const intentionalChangesFileSchema = z.object({
  $comment: z.string().optional(),
  changes: z.array(intentionalChangeSchema),
});

export type IntentionalChange = z.output<typeof intentionalChangeSchema>;

/**
 * Reads the list of breaking changes declared on purpose. A break is allowed only when written down with a reason,
 * so removing a field is a reviewed decision and not an accident. A missing file declares nothing.
 */
export function loadIntentionalChanges(file: string): IntentionalChange[] {
  if (!existsSync(file)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const parsed = intentionalChangesFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${file} is malformed: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data.changes;
}

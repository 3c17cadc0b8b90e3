import type pg from 'pg';

interface IndexDefinition {
  name: string;
  definition: string;
}

interface ConstraintDefinition extends IndexDefinition {
  kind: 'p' | 'u' | 'f';
}

/** Memory for the index sorts after the load; each build sorts the whole table. */
const maintenanceWorkMem = '512MB';

/**
 * Runs `load` with the table's indexes, primary and unique keys and foreign keys dropped, then rebuilds them from
 * their own catalogued definitions. Maintaining three B-trees and a foreign-key check per row makes a 10-million-row
 * COPY take minutes; building each index once, by sorting, takes seconds. Reading the definitions from
 * `pg_get_indexdef`/`pg_get_constraintdef` keeps the migrations the only place they are written.
 *
 * Call it inside a transaction: a failed load then rolls the drops back too, and no other session ever sees the
 * table without its keys.
 */
export async function loadWithoutIndexes<T>(client: pg.ClientBase, table: string, load: () => Promise<T>, onProgress: (line: string) => void): Promise<T> {
  const constraints = await client.query<ConstraintDefinition>(
    `select conname as name, contype as kind, pg_get_constraintdef(oid) as definition
       from pg_constraint where conrelid = $1::regclass and contype in ('p', 'u', 'f')`,
    [table],
  );
  // Indexes that back a key come back with their constraint; the rest are rebuilt on their own.
  const indexes = await client.query<IndexDefinition>(
    `select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition
       from pg_index i
      where indrelid = $1::regclass
        and not exists (select 1 from pg_constraint c where c.conrelid = i.indrelid and c.conindid = i.indexrelid)`,
    [table],
  );
  const keys = constraints.rows.filter((c) => c.kind !== 'f');
  const foreignKeys = constraints.rows.filter((c) => c.kind === 'f');

  const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
  // Foreign keys first: a key cannot go while a constraint of this table still depends on its index.
  for (const constraint of [...foreignKeys, ...keys]) await client.query(`alter table ${ident(table)} drop constraint ${ident(constraint.name)}`);
  for (const index of indexes.rows) await client.query(`drop index ${index.name}`);

  const result = await load();

  const started = performance.now();
  await client.query(`set local maintenance_work_mem = '${maintenanceWorkMem}'`);
  for (const constraint of keys) await client.query(`alter table ${ident(table)} add constraint ${ident(constraint.name)} ${constraint.definition}`);
  for (const index of indexes.rows) await client.query(index.definition);
  for (const constraint of foreignKeys) await client.query(`alter table ${ident(table)} add constraint ${ident(constraint.name)} ${constraint.definition}`);
  const rebuilt = [...keys, ...indexes.rows, ...foreignKeys].map((item) => item.name).join(', ');
  onProgress(`${table}: rebuilt ${rebuilt} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { connectToSchema } from '../src/seed/connect-to-schema.js';
import { copyRows } from '../src/seed/copy-rows.js';
import { loadWithoutIndexes } from '../src/seed/load-without-indexes.js';

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase('copy_rows');
  client = await connectToSchema(database.url, 'ratings', 'copy-rows-test');
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

describe('copyRows', () => {
  it('carries text with tabs, line breaks, backslashes and nulls through COPY unchanged', async () => {
    await client.query('create temporary table copied (id integer, label text)');
    const labels = ['plain', 'tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash \\N', null, 'émoji 🎬'];
    const progress: string[] = [];
    const written = await copyRows(client, {
      table: 'copied',
      columns: ['id', 'label'],
      rows: labels.map((label, id) => [id, label]),
      total: labels.length,
      label: 'copied',
      onProgress: (line) => progress.push(line),
    });
    expect(written).toBe(labels.length);
    const { rows } = await client.query<{ label: string | null }>('select label from copied order by id');
    expect(rows.map((row) => row.label)).toEqual(labels);
    expect(progress).toEqual(['copied 7/7']);
  });
});

describe('loadWithoutIndexes', () => {
  const definitions = async () =>
    (
      await client.query<{ definition: string }>(
        `select pg_get_indexdef(indexrelid) as definition from pg_index where indrelid = 'ratings'::regclass
         union all select pg_get_constraintdef(oid) from pg_constraint where conrelid = 'ratings'::regclass order by 1`,
      )
    ).rows.map((row) => row.definition);

  it('loads with the keys gone and puts every index and constraint back as it was', async () => {
    const before = await definitions();
    expect(before.length).toBeGreaterThanOrEqual(5);
    await client.query('begin');
    try {
      await client.query(`insert into users (id) values ('u1')`);
      const during = await loadWithoutIndexes(
        client,
        'ratings',
        () => definitions(),
        () => undefined,
      );
      // Only the score check is left while loading: no B-tree to maintain, no foreign-key lookup per row.
      expect(during).toEqual(['CHECK (((score >= 1) AND (score <= 10)))']);
      expect(await definitions()).toEqual(before);
    } finally {
      await client.query('rollback');
    }
  });

  it('rolls the drops back with the transaction when the load fails', async () => {
    const before = await definitions();
    await client.query('begin');
    await expect(
      loadWithoutIndexes(
        client,
        'ratings',
        () => Promise.reject(new Error('load failed')),
        () => undefined,
      ),
    ).rejects.toThrow('load failed');
    await client.query('rollback');
    expect(await definitions()).toEqual(before);
  });
});

import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz } from '../src/timestamptz-parser.js';

// Imported before create-database.ts can replace it: pg's own parser is the reference.
const reference = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (text: string) => Date | number | null;

const valueOf = (parsed: Date | number | null) => (parsed instanceof Date ? parsed.getTime() : parsed);

describe('parseTimestamptz', () => {
  const fixed = [
    '2026-11-24 10:00:00+00',
    '2026-11-24 10:00:00.1+00',
    '2026-11-24 10:00:00.123+00',
    '2026-11-24 10:00:00.123456+00',
    '2026-11-24 10:00:00.999999+00',
    '2026-11-24 10:00:00.001+00',
    '2026-11-24 10:00:00.009+00',
    '2026-11-24 10:00:00-05',
    '2026-11-24 10:00:00.5+05:30',
    '2026-11-24 23:59:59-03:30',
    '1883-11-18 12:00:00+05:53:28',
    '1000-01-01 00:00:00+00',
    '9999-12-31 23:59:59.999999+14',
    '2024-02-29 12:00:00+00',
    '0099-06-01 00:00:00+00',
    '0001-01-01 00:00:00+00 BC',
    '2026-11-24 10:00:00+00 BC',
    'infinity',
    '-infinity',
    '12026-01-01 00:00:00+00',
    '2026-11-24T10:00:00Z',
    '2026-11-24 10:00:00',
    '2026-11-24 10:00:00.+00',
    '2026-11-24 10:00:00+0a',
    '2026-11-24 10:00:00+05:3',
    '2026-11-24 10:00:00+05:30:00:00',
  ];

  it("gives what pg's own parser gives on fixed forms, the ones it leaves to it included", () => {
    for (const text of fixed) expect(valueOf(parseTimestamptz(text)), text).toBe(valueOf(reference(text)));
  });

  it("gives what pg's own parser gives on random instants, offsets and precisions", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    for (let i = 0; i < 5000; i++) {
      const date = new Date(Date.UTC(1000 + Math.floor(random() * 9000), 0, 1) + Math.floor(random() * 366 * 86_400_000));
      const digits = Math.floor(random() * 7);
      const fraction = digits === 0 ? '' : `.${String(Math.floor(random() * 10 ** digits)).padStart(digits, '0')}`;
      const offsetMinutes = Math.floor(random() * 28 * 60) - 14 * 60;
      const offset = `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}${Math.abs(offsetMinutes) % 60 ? `:${pad(Math.abs(offsetMinutes) % 60)}` : ''}`;
      const text = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${fraction}${offset}`;
      expect(valueOf(parseTimestamptz(text)), text).toBe(valueOf(reference(text)));
    }
  });
});

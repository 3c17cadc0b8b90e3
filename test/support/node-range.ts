/**
 * Whether a Node version satisfies a package's `engines.node` range, for the forms package.json files use:
 * `||` alternatives of space-separated comparators, `>=`, `>`, `<=`, `<`, `=`, `^` and `~` with partial versions,
 * `x`/`*` wildcards and bare versions (`20`, `20.x`). Written here because the repository has no semver dependency.
 * An unknown form throws, so a test never passes on a range it did not understand.
 */
export function satisfiesNodeRange(version: string, range: string): boolean {
  const have = parts(version.replace(/^v/, ''));
  return range.split('||').some((alternative) => {
    const comparators = alternative
      .trim()
      .replace(/([<>=^~]+)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    return comparators.length === 0 || comparators.every((comparator) => satisfiesComparator(have, comparator, range));
  });
}

type Version = [number, number, number];

function parts(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text.split('.').map(Number);
  return [major, minor, patch];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function satisfiesComparator(have: Version, comparator: string, range: string): boolean {
  const match = /^(>=|<=|>|<|=|\^|~)?v?(\*|x|\d+)(?:\.(\*|x|\d+))?(?:\.(\*|x|\d+))?$/.exec(comparator);
  if (!match) throw new Error(`engines.node range not understood: ${range}`);
  const [, operator = '=', ...fields] = match;
  // How many leading fields are numbers: "20.x" and "20" both fix the major only.
  const fixed = fields.findIndex((field) => field === undefined || field === '*' || field === 'x');
  const precision = fixed === -1 ? 3 : fixed;
  const want = parts(fields.slice(0, precision).join('.'));
  const prefixEqual = have.slice(0, precision).every((value, i) => value === want[i]);
  switch (operator) {
    case '>=':
      return compare(have, want) >= 0;
    case '>':
      return precision === 3 ? compare(have, want) > 0 : !prefixEqual && compare(have, want) > 0;
    case '<':
      return compare(have, want) < 0;
    case '<=':
      return precision === 3 ? compare(have, want) <= 0 : prefixEqual || compare(have, want) < 0;
    case '^': {
      // Same first non-zero field (the major for every Node range), and not below.
      const locked = want[0] !== 0 || precision === 1 ? 1 : want[1] !== 0 || precision === 2 ? 2 : 3;
      return compare(have, want) >= 0 && have.slice(0, locked).every((value, i) => value === want[i]);
    }
    case '~':
      return compare(have, want) >= 0 && have.slice(0, Math.min(precision, 2)).every((value, i) => value === want[i]);
    default:
      return prefixEqual;
  }
}

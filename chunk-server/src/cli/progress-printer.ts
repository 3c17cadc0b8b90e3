/**
 * Prints "<label>: <stage> 42%" lines for long media work. On a terminal the line is rewritten in place; in logs
 * (CI, the launcher) only every 25 % is printed so the output stays short.
 */
export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr): (label: string, stage: string, fraction: number) => void {
  let last = '';
  let lastBucket = -1;
  return (label, stage, fraction) => {
    const percent = Math.floor(fraction * 100);
    const key = `${label}:${stage}`;
    if (stream.isTTY) {
      stream.write(`\r${label}: ${stage} ${String(percent).padStart(3)}%${percent === 100 ? '\n' : ''}`);
      return;
    }
    const bucket = Math.floor(percent / 25);
    if (key === last && bucket === lastBucket) return;
    last = key;
    lastBucket = bucket;
    stream.write(`${label}: ${stage} ${percent}%\n`);
  };
}

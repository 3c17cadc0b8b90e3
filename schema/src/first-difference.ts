/**
 * `first difference at line 12: committed "  year: Int", composed "  year: String"`: enough to see which source
 * change a committed, derived file is missing. `derived` names the fresh side (composed, generated).
 */
export const firstDifference = (committed: string, fresh: string, derived: string): string => {
  const left = committed.split('\n');
  const right = fresh.split('\n');
  let line = 0;
  while (line < left.length && left[line] === right[line]) line++;
  const show = (text: string | undefined) => (text === undefined ? 'end of file' : JSON.stringify(text.trim()));
  return `first difference at line ${line + 1}: committed ${show(left[line])}, ${derived} ${show(right[line])}`;
};

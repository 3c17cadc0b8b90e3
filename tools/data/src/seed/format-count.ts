/** `120000` → `120,000`: progress lines and reports are read by people. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * What one schema check found. `problems` fail the check; `notes` explain what was compared or why something was
 * not checked, so a green run still says what it proved.
 */
export interface CheckReport {
  check: string;
  problems: string[];
  notes: string[];
}

/** True when no check reported a problem. */
export const allPassed = (reports: readonly CheckReport[]): boolean => reports.every((report) => report.problems.length === 0);

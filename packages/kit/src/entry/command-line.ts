/** `@cinema/kit/command-line`: what every CLI command does alike (usage errors, parse or exit, failure text). Node only. */
export { describeFailure, exitWithUsage, parseCommandLineOrExit, USAGE_EXIT_CODE } from '../command-line.js';

// Whether this run may rewrite the tracked reports (test/reliability/LOAD.md, FAULTS.md,
// test/runtimes/RESULTS.md). Only `npm run report` (scripts/report.ts) sets WRITE_REPORTS=1: under
// `npm test` the same suites run and assert the same things, but leave the working tree as they
// found it. Not a test file: vitest only collects `*.test.ts`.

/** True when the suites were asked to rewrite their tracked reports (`WRITE_REPORTS=1`). */
export const WRITE_REPORTS = process.env.WRITE_REPORTS === '1';

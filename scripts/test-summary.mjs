// Prints the closing line CI reads, "N passed, N failed", from vitest's JSON report. A failure before
// vitest ran (type-check or lint) counts as one failed check, so a red build can never print "0 failed".
import { existsSync, readFileSync } from 'node:fs';

const status = Number(process.argv[2] ?? '0');
const report = 'tests/artifacts/vitest-results.json';
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  // A file that failed to load has no failed test in it, but it is a failure all the same.
  const brokenFiles = (r.testResults ?? []).filter(
    (t) => t.status === 'failed' && !(t.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  failed = r.numFailedTests + brokenFiles;
  skipped = r.numPendingTests + r.numTodoTests;
}
if (status !== 0 && failed === 0) failed = 1;
if (skipped) console.log(`${skipped} skipped (see the test output for why)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(status === 0 && failed === 0 ? 0 : 1);

// Prints the suite's closing lines in the plain form CI reads: each failed test with the first
// lines of its message (a CI log often keeps only its tail), then "tests: N passed, N failed".
// Takes one vitest JSON report per group run; a missing report (its group crashed) fails the summary.
import { existsSync, readFileSync } from 'node:fs';

const MESSAGE_LINES = 30;
const paths = process.argv.slice(2);
const reports = paths.filter((path) => existsSync(path)).map((path) => JSON.parse(readFileSync(path, 'utf8')));
for (const path of paths.filter((p) => !existsSync(p))) console.log(`FAILED ${path} was not written: its test run did not finish`);
const files = reports.flatMap((r) => r.testResults);
const total = (key) => reports.reduce((n, r) => n + r[key], 0);
for (const file of files) {
  for (const test of file.assertionResults.filter((t) => t.status === 'failed')) {
    console.log(`FAILED ${test.fullName}`);
    const message = test.failureMessages
      .join('\n')
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .filter((line, i, all) => line.trim() !== '' || all[i - 1]?.trim() !== '');
    for (const line of message.slice(0, MESSAGE_LINES)) console.log(`  ${line}`);
  }
  if (file.status === 'failed' && file.assertionResults.length === 0) console.log(`FAILED ${file.name}: ${file.message}`);
}
const skipped = total('numPendingTests') + total('numTodoTests');
console.log(`tests: ${total('numPassedTests')} passed, ${total('numFailedTests')} failed${skipped ? `, ${skipped} skipped` : ''}`);
const complete = reports.length === paths.length && reports.every((r) => r.success);
process.exit(total('numFailedTests') > 0 || total('numTotalTests') === 0 || !complete ? 1 : 0);

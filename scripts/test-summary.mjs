// Prints the suite's closing lines in the plain form CI reads: each failed test with the first
// lines of its message (a CI log often keeps only its tail), then "tests: N passed, N failed".
import { readFileSync } from 'node:fs';

const MESSAGE_LINES = 30;
const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const file of report.testResults) {
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
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(report.numFailedTests > 0 || report.numTotalTests === 0 || !report.success ? 1 : 0);

// Plain JavaScript, like the global setup: jest loads reporters outside its module system.
const NOT_RUN = 'NOT RUN';

/**
 * Prints, after jest's own summary, each suite that was skipped because what it needs is missing
 * (a `describe.skip` titled "NOT RUN: …"), so a run without it cannot pass for a full one.
 */
export default class NotRunReporter {
  onRunComplete(_contexts, results) {
    const skipped = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        const title = test.ancestorTitles.find((t) => t.startsWith(NOT_RUN));
        if (title && test.status === 'pending') skipped.set(title, (skipped.get(title) ?? 0) + 1);
      }
    }
    for (const [title, count] of skipped) {
      process.stderr.write(`\n\u001b[33m${title}: its ${count} tests were skipped.\u001b[0m\n`);
    }
  }
}

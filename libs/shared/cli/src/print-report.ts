/** Prints a verification report (bigints as decimal strings) and a closing `<subject>: OK|BROKEN` line; returns the exit code. */
export function printReport<R extends { ok: boolean }>(subject: string, report: R): number {
  console.log(JSON.stringify(report, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2));
  console.log(`${subject}: ${report.ok ? 'OK' : 'BROKEN'}`);
  return report.ok ? 0 : 1;
}

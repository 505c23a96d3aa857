/**
 * Spreadsheet imports (campaign workbooks, survey sheets) run one after another in this process. Reading the largest
 * workbook the limits allow holds about 200 MB of rows until it is written, so two at once would pass the bound of
 * 300 MB that the server's memory may grow by while reading uploads (`npm run bench -- --only uploads`). A second
 * import waits for the first (seconds); it is not refused.
 */
let last: Promise<unknown> = Promise.resolve();

export function oneImportAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = last.then(work, work);
  last = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

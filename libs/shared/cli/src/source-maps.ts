/**
 * Stops reading the source maps of the files loaded from now on (Node reads a file's map when it loads the file, and
 * only then) and answers the function that starts again, if they were on. Stack traces are not mapped in between.
 */
export function pauseSourceMaps(): () => void {
  if (!process.sourceMapsEnabled) return () => undefined;
  process.setSourceMapsEnabled(false);
  return () => process.setSourceMapsEnabled(true);
}

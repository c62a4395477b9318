// bitro-api type-checks with node10 module resolution (the one its webpack build uses), which does not read a
// package's `exports` map; @fast-check/vitest declares its types only there. The same declarations, by file path.
declare module '@fast-check/vitest' {
  export * from '@fast-check/vitest/lib/vitest-fast-check';
}

/**
 * The metric names a PromQL expression selects (Grafana's `$__rate_interval` and friends allowed): identifiers that are
 * not functions, keywords, label names in `by (...)`/`on (...)` lists, label matchers, strings, ranges or numbers.
 */
const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

export function promqlMetricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = [...bare.matchAll(/(?<![\w.$])([a-zA-Z_:][\w:]*)(\s*\()?/g)]
    .filter((m) => !m[2] && !keywords.has(m[1].toLowerCase()))
    .map((m) => m[1]);
  return [...new Set(names)];
}

/**
 * How often scheduled work runs, as a reader wants it: `15 * 60_000` is "15 min", `env.RECONCILE_INTERVAL_MS` is
 * the variable with the default its env schema gives it (`NAME: ....default(300_000)` in a shared library).
 */
import ts from 'typescript';
import { isSharedLib, sourceFilesOf } from './workspace.mjs';

const ARITHMETIC = /^[\d_\s*+\-()]+$/;

/** The value of a constant arithmetic expression (`15 * 60_000`), or undefined. */
export function evaluateNumber(text) {
  if (!ARITHMETIC.test(text) || !/\d/.test(text)) return undefined;
  try {
    const value = Function(`"use strict"; return (${text.replace(/_/g, '')});`)();
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const UNITS = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1_000, 's'],
];

export function formatMs(ms) {
  const unit = UNITS.find(([size]) => ms >= size && ms % size === 0);
  return unit ? `${ms / unit[0]} ${unit[1]}` : `${ms} ms`;
}

/** `NAME` → default value, for every env field with a numeric `.default(...)` in the shared libraries. */
export function collectEnvDefaults(workspace, index) {
  const defaults = new Map();
  for (const project of workspace.projects.filter(isSharedLib)) {
    for (const file of sourceFilesOf(project)) {
      const visit = (node) => {
        if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && /^[A-Z][A-Z0-9_]*$/.test(node.name.text)) {
          const match = node.initializer.getText().match(/\.default\(([^()]*)\)\s*$/);
          const value = match && evaluateNumber(match[1]);
          if (value !== undefined) defaults.set(node.name.text, value);
        }
        ts.forEachChild(node, visit);
      };
      visit(index.parse(file).sf);
    }
  }
  return defaults;
}

/** Markdown for an interval expression. */
export function describeInterval(every, envDefaults) {
  const value = evaluateNumber(every);
  if (value !== undefined) return formatMs(value);
  const env = every.match(/^(?:this\.)?env\.([A-Z][A-Z0-9_]*)$/)?.[1];
  if (env) return envDefaults.has(env) ? `\`${env}\` (default ${formatMs(envDefaults.get(env))})` : `\`${env}\``;
  return `\`${every}\``;
}

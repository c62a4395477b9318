/**
 * The event contracts and service-api tokens of the workspace, found statically in the contract libraries
 * (`type:service-api`, `type:contract`):
 * - an event contract is a top-level `const x = someDefine(..., '<domain>.<what-happened>.v<N>', ...)`: a call with
 *   a string argument shaped like an event name (`defineEvent`, gateway-contract's `defineMessage`, ...);
 * - a token is a top-level `const X = Symbol.for('...')` (or `Symbol('...')`).
 * The module docs check this list against the contracts the libraries really export at runtime.
 */
import ts from 'typescript';
import { declarationKey, unwrap } from './source-index.mjs';
import { isContractLib, sourceFilesOf } from './workspace.mjs';

export const EVENT_NAME = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v([1-9][0-9]*)$/;

/**
 * @typedef {{ name: string, exportName: string, file: string, project: string }} EventEntry
 * @typedef {{ name: string, file: string, project: string }} TokenEntry
 * @typedef {{ events: Map<string, EventEntry>, tokens: Map<string, TokenEntry>, eventsByName: Map<string, EventEntry> }} ContractCatalog
 */

function eventNameOf(initializer) {
  const call = unwrap(initializer);
  if (!call || !ts.isCallExpression(call)) return undefined;
  const literal = call.arguments.find((arg) => ts.isStringLiteralLike(arg) && EVENT_NAME.test(arg.text));
  return literal?.text;
}

function isSymbolCall(initializer) {
  const call = unwrap(initializer);
  if (!call || !ts.isCallExpression(call)) return false;
  const callee = call.expression;
  return (ts.isIdentifier(callee) && callee.text === 'Symbol') || (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Symbol');
}

/**
 * @param {import('./workspace.mjs').Workspace} workspace
 * @param {ReturnType<import('./source-index.mjs').createSourceIndex>} index
 * @returns {ContractCatalog} keyed by declaration key (`file#name`)
 */
export function buildContractCatalog(workspace, index) {
  const events = new Map();
  const tokens = new Map();
  for (const project of workspace.projects.filter(isContractLib)) {
    for (const file of sourceFilesOf(project)) {
      for (const [name, node] of index.parse(file).locals) {
        if (!ts.isVariableDeclaration(node) || !node.initializer) continue;
        const key = declarationKey({ file, name }, workspace.rel);
        const eventName = eventNameOf(node.initializer);
        if (eventName) events.set(key, { name: eventName, exportName: name, file: workspace.rel(file), project: project.name });
        else if (isSymbolCall(node.initializer)) tokens.set(key, { name, file: workspace.rel(file), project: project.name });
      }
    }
  }
  const eventsByName = new Map([...events.values()].map((event) => [event.name, event]));
  return { events, tokens, eventsByName };
}

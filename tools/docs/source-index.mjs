/**
 * Parsed TypeScript files (TypeScript compiler API, syntax only: no type check, so it stays fast) and the one
 * question the module docs ask of them: what does this name, at this place, refer to? A name is followed through
 * imports, `@bitro/*` path aliases, barrels (`export * from`, `export { x } from`) and local re-exports to the
 * declaration it names: `{ file, name }` for workspace code, `{ module, name }` for a package (`@nestjs/common`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

const EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '/index.ts', '/index.mts'];

/**
 * @typedef {{ file: string, name: string } | { module: string, name: string }} Declaration
 * @typedef {{ sf: ts.SourceFile, imports: Map<string, { spec: string, name: string }>, locals: Map<string, ts.Node>,
 *   exports: Map<string, { local: string } | { spec: string, name: string }>, stars: string[] }} ParsedFile
 */

/** Top-level facts of one file: imported names, declared names, exported names. */
function scan(sf) {
  const imports = new Map();
  const locals = new Map();
  const exports = new Map();
  const stars = [];
  const isExported = (node) => ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export;
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const spec = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause?.name) imports.set(clause.name.text, { spec, name: 'default' });
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) imports.set(bindings.name.text, { spec, name: '*' });
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) imports.set(element.name.text, { spec, name: (element.propertyName ?? element.name).text });
      }
    } else if (ts.isExportDeclaration(statement)) {
      const spec = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const clause = statement.exportClause;
      if (!clause && spec) stars.push(spec);
      else if (clause && ts.isNamedExports(clause)) {
        for (const element of clause.elements) {
          const original = (element.propertyName ?? element.name).text;
          exports.set(element.name.text, spec ? { spec, name: original } : { local: original });
        }
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) continue;
        locals.set(declaration.name.text, declaration);
        if (isExported(statement)) exports.set(declaration.name.text, { local: declaration.name.text });
      }
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      locals.set(statement.name.text, statement);
      if (isExported(statement)) exports.set(statement.name.text, { local: statement.name.text });
    }
  }
  return { sf, imports, locals, exports, stars };
}

/** Strips parentheses, `as`, `satisfies` and `!` around an expression. */
export function unwrap(node) {
  let current = node;
  while (current && (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current))) {
    current = current.expression;
  }
  return current;
}

export const declarationKey = (declaration, rel) => ('module' in declaration ? `${declaration.module}#${declaration.name}` : `${rel(declaration.file)}#${declaration.name}`);

/** @param {{ aliases: Map<string, string> }} workspace */
export function createSourceIndex(workspace) {
  /** @type {Map<string, ParsedFile>} */
  const parsed = new Map();

  function parse(file) {
    let entry = parsed.get(file);
    if (!entry) {
      const text = readFileSync(file, 'utf8');
      entry = scan(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
      parsed.set(file, entry);
    }
    return entry;
  }

  const asFile = (base) => {
    for (const candidate of [base, ...EXTENSIONS.map((ext) => base + ext)]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    return undefined;
  };

  /** The workspace file an import specifier names, or undefined for a package. */
  function resolveModule(fromFile, spec) {
    if (spec.startsWith('.')) return asFile(resolve(dirname(fromFile), spec));
    const aliased = workspace.aliases.get(spec);
    return aliased ? asFile(aliased) : undefined;
  }

  function fromImport(file, { spec, name }) {
    const target = resolveModule(file, spec);
    if (!target) return { module: spec, name };
    if (name === '*') return { namespace: target };
    return resolveExport(target, name);
  }

  /** The declaration that `file` exports as `name`. */
  function resolveExport(file, name, seen = new Set()) {
    const key = `${file}#${name}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const { exports, stars, imports } = parse(file);
    const entry = exports.get(name);
    if (entry && 'local' in entry) return imports.has(entry.local) ? fromImport(file, imports.get(entry.local)) : { file, name: entry.local };
    if (entry) return fromImport(file, entry);
    for (const spec of stars) {
      const target = resolveModule(file, spec);
      const found = target && resolveExport(target, name, seen);
      if (found) return found;
    }
    return undefined;
  }

  /** What the identifier `name` used at the top level scope of `file` refers to. */
  function resolveName(file, name) {
    const { imports, locals } = parse(file);
    if (imports.has(name)) return fromImport(file, imports.get(name));
    if (locals.has(name)) return { file, name };
    return undefined;
  }

  /** What an expression (an identifier or `namespace.name`) refers to, or undefined. */
  function resolveExpression(file, node) {
    const expression = unwrap(node);
    if (!expression) return undefined;
    if (ts.isIdentifier(expression)) {
      const found = resolveName(file, expression.text);
      return found && !('namespace' in found) ? found : undefined;
    }
    if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression)) {
      const owner = resolveName(file, expression.expression.text);
      if (owner && 'namespace' in owner) return resolveExport(owner.namespace, expression.name.text);
    }
    return undefined;
  }

  /** The declaration node of a workspace declaration (a variable declaration, function, class...). */
  function declarationNode(declaration) {
    if (!declaration || 'module' in declaration) return undefined;
    return parse(declaration.file).locals.get(declaration.name);
  }

  return { parse, resolveModule, resolveExport, resolveName, resolveExpression, declarationNode };
}

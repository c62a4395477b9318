import type { Tree } from '@nx/devkit';
import ts from 'typescript';
import { DOMAINS_MODULE } from '../workspace-paths';

// bitro-api's DomainsModule lists every domain module in `const DOMAINS = [...]`. A domain adds one import line and
// one element; removing it takes out exactly that text again, so adding and removing leaves the file as it was.

interface Domain {
  className: string;
  importPath: string;
}

function parse(tree: Tree): { text: string; source: ts.SourceFile } {
  const text = tree.read(DOMAINS_MODULE, 'utf-8');
  if (text === null) throw new Error(`${DOMAINS_MODULE} does not exist`);
  return { text, source: ts.createSourceFile(DOMAINS_MODULE, text, ts.ScriptTarget.Latest, true) };
}

function domainsArray(source: ts.SourceFile): ts.ArrayLiteralExpression {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === 'DOMAINS' && declaration.initializer && ts.isArrayLiteralExpression(declaration.initializer)) {
        return declaration.initializer;
      }
    }
  }
  throw new Error(`${DOMAINS_MODULE}: no \`const DOMAINS = [...]\``);
}

const moduleSpecifierOf = (declaration: ts.ImportDeclaration): string => (declaration.moduleSpecifier as ts.StringLiteral).text;

/** The start of the line `position` is on, and the start of the next line. */
function lineAround(text: string, start: number, end: number): [number, number] {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const newline = text.indexOf('\n', end);
  return [lineStart, newline < 0 ? text.length : newline + 1];
}

function splice(text: string, start: number, end: number, insert = ''): string {
  return text.slice(0, start) + insert + text.slice(end);
}

export function addToDomains(tree: Tree, domain: Domain): void {
  const parsed = parse(tree);
  const { source } = parsed;
  let { text } = parsed;
  // The element first (it comes after the imports, so their positions stay valid).
  const array = domainsArray(source);
  const last = array.elements.at(-1);
  if (!last) {
    text = splice(text, array.elements.pos, array.elements.end, domain.className);
  } else {
    const multiline = text.slice(array.getStart(source), array.end).includes('\n');
    const indent = multiline ? /^\s*/.exec(text.slice(text.lastIndexOf('\n', last.getStart(source)) + 1))?.[0] ?? '  ' : '';
    if (multiline && array.elements.hasTrailingComma) {
      const comma = text.indexOf(',', last.end) + 1;
      text = splice(text, comma, comma, `\n${indent}${domain.className},`);
    } else {
      text = splice(text, last.end, last.end, multiline ? `,\n${indent}${domain.className}` : `, ${domain.className}`);
    }
  }

  const imports = source.statements.filter(ts.isImportDeclaration);
  const line = `import { ${domain.className} } from '${domain.importPath}';\n`;
  // Among the @bitro imports, in the order of their paths.
  const bitro = imports.filter((declaration) => moduleSpecifierOf(declaration).startsWith('@bitro/'));
  const before = bitro.filter((declaration) => moduleSpecifierOf(declaration) < domain.importPath).at(-1);
  const anchor = before ?? bitro[0] ?? imports.at(-1);
  if (!anchor) {
    text = line + text;
  } else {
    const [lineStart, nextLine] = lineAround(text, anchor.getStart(source), anchor.end);
    const at = before || !bitro[0] ? nextLine : lineStart;
    text = splice(text, at, at, line);
  }
  tree.write(DOMAINS_MODULE, text);
}

/** Takes the domain's import and its element in DOMAINS out again (what is not there is left alone). */
export function removeFromDomains(tree: Tree, domain: Domain): void {
  if (!tree.exists(DOMAINS_MODULE)) return;
  let { text, source } = parse(tree);
  const elements = domainsArray(source).elements;
  const index = elements.findIndex((element) => ts.isIdentifier(element) && element.text === domain.className);
  if (index > 0) text = splice(text, elements[index - 1].end, elements[index].end);
  else if (index === 0) text = splice(text, elements[0].getStart(source), elements.length > 1 ? elements[1].getStart(source) : elements.hasTrailingComma ? text.indexOf(',', elements[0].end) + 1 : elements[0].end);

  source = ts.createSourceFile(DOMAINS_MODULE, text, ts.ScriptTarget.Latest, true);
  const declaration = source.statements.find((statement) => ts.isImportDeclaration(statement) && moduleSpecifierOf(statement) === domain.importPath);
  if (declaration) {
    const [lineStart, nextLine] = lineAround(text, declaration.getStart(source), declaration.end);
    text = splice(text, lineStart, nextLine);
  }
  tree.write(DOMAINS_MODULE, text);
}

export function isInDomains(tree: Tree, className: string): boolean {
  if (!tree.exists(DOMAINS_MODULE)) return false;
  return domainsArray(parse(tree).source).elements.some((element) => ts.isIdentifier(element) && element.text === className);
}

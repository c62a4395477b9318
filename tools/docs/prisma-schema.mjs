/**
 * The Postgres side of a domain, from its Prisma schema(s) (`*.prisma` under the project, generated code and
 * migrations aside): the Postgres schemas it declares and each model's table (`@@map`, else the model name) with its
 * `@@schema`, and its enums.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SKIPPED_DIRS } from './workspace.mjs';

/** @typedef {{ schemas: string[], tables: { schema: string | null, table: string, model: string }[], enums: { schema: string | null, name: string }[] }} PrismaFacts */

function prismaFiles(dir, found = []) {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name) && entry.name !== 'migrations' && entry.name !== 'src') prismaFiles(join(dir, entry.name), found);
    else if (entry.isFile() && entry.name.endsWith('.prisma')) found.push(join(dir, entry.name));
  }
  return found;
}

const BLOCK = /^\s*(model|enum|datasource|view)\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm;
const attribute = (body, name) => body.match(new RegExp(`@@${name}\\(\\s*(?:name:\\s*)?"([^"]+)"`))?.[1] ?? null;

/** @param {string} text the content of a .prisma file */
export function parsePrismaSchema(text) {
  const withoutComments = text.replace(/\/\/.*$/gm, '');
  /** @type {PrismaFacts} */
  const facts = { schemas: [], tables: [], enums: [] };
  for (const [, kind, name, body] of withoutComments.matchAll(BLOCK)) {
    if (kind === 'datasource') {
      const list = body.match(/schemas\s*=\s*\[([^\]]*)\]/)?.[1] ?? '';
      facts.schemas.push(...[...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]));
    } else if (kind === 'enum') {
      facts.enums.push({ schema: attribute(body, 'schema'), name });
    } else {
      facts.tables.push({ schema: attribute(body, 'schema'), table: attribute(body, 'map') ?? name, model: name });
    }
  }
  return facts;
}

/** The Prisma facts of a project (every .prisma file under its root), sorted. @returns {PrismaFacts} */
export function prismaFactsOf(project) {
  const merged = { schemas: [], tables: [], enums: [] };
  for (const file of prismaFiles(project.root)) {
    const facts = parsePrismaSchema(readFileSync(file, 'utf8'));
    merged.schemas.push(...facts.schemas);
    merged.tables.push(...facts.tables);
    merged.enums.push(...facts.enums);
  }
  const bySchemaThen = (key) => (a, b) => (a.schema ?? '').localeCompare(b.schema ?? '') || a[key].localeCompare(b[key]);
  return { schemas: [...new Set(merged.schemas)].sort(), tables: merged.tables.sort(bySchemaThen('table')), enums: merged.enums.sort(bySchemaThen('name')) };
}

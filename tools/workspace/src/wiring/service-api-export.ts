import type { Tree } from '@nx/devkit';
import { SERVICE_API_INDEX } from '../workspace-paths';

// One line, `export * from './<name>';`, appended to the end of service-api's index and removed again as it was.

const exportLine = (name: string): string => `export * from './${name}';`;

export function addServiceApiExport(tree: Tree, name: string): void {
  const text = tree.read(SERVICE_API_INDEX, 'utf-8') ?? '';
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  tree.write(SERVICE_API_INDEX, `${text}${separator}${exportLine(name)}\n`);
}

export function removeServiceApiExport(tree: Tree, name: string): void {
  const text = tree.read(SERVICE_API_INDEX, 'utf-8');
  if (text === null) return;
  const lines = text.split('\n');
  const kept = lines.filter((line) => line.trim() !== exportLine(name));
  if (kept.length !== lines.length) tree.write(SERVICE_API_INDEX, kept.join('\n'));
}

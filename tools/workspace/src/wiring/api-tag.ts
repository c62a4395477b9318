import type { Tree } from '@nx/devkit';
import { API_INFO } from '../workspace-paths';

// One line in the `tags` of bitro-api's API description (the OpenAPI lint wants every operation's tag defined and
// described), added as the block's last entry and removed again as it was.

const TAGS_END = '\n  },\n};';
const tagLine = (name: string, description: string): string => `    '${name}': '${description.replace(/'/g, "\\'")}',`;

export function addApiTag(tree: Tree, name: string, description: string): void {
  const text = tree.read(API_INFO, 'utf-8');
  if (text === null || !text.includes(TAGS_END)) throw new Error(`${API_INFO}: no \`tags: { ... }\` block at the end of the API description`);
  tree.write(API_INFO, text.replace(TAGS_END, `\n${tagLine(name, description)}${TAGS_END}`));
}

export function removeApiTag(tree: Tree, name: string): void {
  const text = tree.read(API_INFO, 'utf-8');
  if (text === null) return;
  const lines = text.split('\n');
  const kept = lines.filter((line) => !line.startsWith(`    '${name}': `));
  if (kept.length !== lines.length) tree.write(API_INFO, kept.join('\n'));
}

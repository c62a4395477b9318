// Reads a .cpuprofile (Chrome DevTools format): self time by frame and by package, bundles mapped to their sources.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const sourceMaps = new Map();

/** The source map next to a bundled file (`main.js.map`), or null. */
function sourceMapOf(url) {
  if (!sourceMaps.has(url)) {
    const file = url.startsWith('file://') ? fileURLToPath(url) : null;
    const mapFile = file && `${file}.map`;
    sourceMaps.set(url, mapFile && existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null);
  }
  return sourceMaps.get(url);
}

/**
 * Where a frame's code comes from, through source maps next to the files: for our bundles (dist/) the source file and
 * 1-based line; for npm packages the package's path, followed by the mapped source when the package ships a map
 * (minified code says little by itself).
 */
function sourceOf({ url, lineNumber, columnNumber }) {
  if (!url) return { file: '', location: '(native)' };
  const entry = sourceMapOf(url)?.findEntry(lineNumber, columnNumber);
  const mapped = entry?.originalSource && `${entry.originalSource.replace(/^webpack:\/\/[^/]*\//, '').replace(/^(\.\.?\/)+/, '')}:${entry.originalLine + 1}`;
  const nodeModules = url.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) {
    const file = url.slice(nodeModules + 1);
    return { file, location: mapped ? `${file} (${mapped})` : `${file}:${lineNumber + 1}` };
  }
  if (mapped) return { file: mapped, location: mapped };
  const file = url.replace(/^file:\/\//, '');
  return { file, location: `${file}:${lineNumber + 1}` };
}

/** The package a file belongs to: node_modules/<package>, libs/<domain>, libs/shared/<lib>, apps/<app>, node, wasm. */
export function packageOf(file, functionName) {
  const nodeModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (nodeModules) return `node_modules/${nodeModules[1]}`;
  const own = /(?:^|\/)(libs\/shared\/[^/]+|libs\/[^/]+|apps\/[^/]+|tools\/[^/]+)\//.exec(file);
  if (own) return own[1];
  if (functionName === '(garbage collector)') return '(garbage collector)';
  if (file === '' || file.startsWith('node:')) return 'node internals';
  if (file.startsWith('wasm:')) return 'wasm (e.g. the Prisma query compiler)';
  return 'other';
}

const percent = (part, whole) => Math.round((part / whole) * 1000) / 10;

/** Self time (%) of the `top` busiest frames and of every package, over the busy (non-idle) samples. */
export function summarizeProfile(profile, top = 20) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, timeDeltas[i + 1] ?? timeDeltas[i] ?? 0));
  }
  const frames = new Map();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = nodes.get(id);
    if (callFrame.functionName === '(idle)') continue;
    busyUs += us;
    const { file, location } = sourceOf(callFrame);
    const key = `${callFrame.functionName}\u0000${location}`;
    const frame = frames.get(key) ?? { function: callFrame.functionName || '(anonymous)', location, package: packageOf(file, callFrame.functionName), us: 0 };
    frame.us += us;
    frames.set(key, frame);
  }
  const packages = new Map();
  for (const frame of frames.values()) packages.set(frame.package, (packages.get(frame.package) ?? 0) + frame.us);
  return {
    busyMs: Math.round(busyUs / 1000),
    topFrames: [...frames.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(({ us, package: _package, ...frame }) => ({ ...frame, selfPct: percent(us, busyUs) })),
    byPackage: [...packages.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ package: name, selfPct: percent(us, busyUs) })),
  };
}

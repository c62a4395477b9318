import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { eventually, freePort } from '@bitro/system-testing';

const root = join(import.meta.dirname, '..', '..', '..');
const prismBin = join(root, 'node_modules', '@stoplight', 'prism-cli', createRequire(join(root, 'package.json'))('@stoplight/prism-cli/package.json').bin.prism as string);

/**
 * Prism's validation proxy (`prism proxy`) in front of bitro-api: it forwards every request and answer unchanged
 * (`--errors=false`) and logs a `Violation:` line for each part of a request or answer the OpenAPI document does not allow.
 */
export class PrismProxy {
  private output: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(document: string, upstream: string): Promise<PrismProxy> {
    const port = await freePort();
    const child = spawn(process.execPath, [prismBin, 'proxy', document, upstream, '--host', '127.0.0.1', '--port', String(port), '--errors=false'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prism = new PrismProxy(child, `http://127.0.0.1:${port}`);
    child.stdout?.on('data', (chunk: Buffer) => prism.output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => prism.output.push(chunk.toString()));
    await eventually(
      async () => child.exitCode === null && prism.log().includes('Prism is listening'),
      () => `prism did not start:\n${prism.log()}`,
      60_000,
    );
    return prism;
  }

  /** Everything Prism wrote. */
  log(): string {
    return this.output.join('');
  }

  /** Each `Violation:` line Prism logged, with the request line it belongs to. */
  violations(): string[] {
    let request = '';
    const found: string[] = [];
    for (const line of this.log().split('\n')) {
      const requestLine = /(GET|POST|PUT|PATCH|DELETE) (\S+)/i.exec(line);
      if (requestLine && !line.includes('Violation')) request = `${requestLine[1]?.toUpperCase()} ${requestLine[2]}`;
      if (line.includes('Violation')) found.push(`${request}: ${line.replace(/^.*?Violation:/, 'Violation:').trim()}`);
    }
    return found;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

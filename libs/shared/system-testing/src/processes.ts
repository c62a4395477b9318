import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..', '..');

/** One of the product's built processes (dist/), with its output kept for failure messages. */
export class BuiltProcess {
  private child: ChildProcess | undefined;
  private output: string[] = [];

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly args: string[],
    private readonly env: Record<string, string>,
  ) {}

  start(): void {
    const child = spawn(process.execPath, [join(root, this.script), ...this.args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.child = child;
  }

  /** SIGKILL: no shutdown hooks, as when a machine dies. */
  async kill(): Promise<void> {
    await this.stopWith('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.stopWith('SIGTERM');
  }

  /** The running process's id (undefined when stopped). */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /** Whether the process wrote `text` (to stdout or stderr) among its last lines. */
  wrote(text: string): boolean {
    return this.output.join('').includes(text);
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the process wrote. */
  tail(): string {
    return this.output.join('').split('\n').slice(-40).join('\n');
  }

  private async stopWith(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}

/** Resolves when `check` resolves truthy, polling; rejects with `describe()` after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, describe: () => string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`Timed out after ${timeoutMs} ms: ${describe()}${lastError ? `\nlast error: ${(lastError as Error).message}` : ''}`);
}

import type { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import type { Command } from './command';
import { runCommand } from './run-command';

function context() {
  const app = { close: vi.fn(async () => undefined) } as unknown as INestApplicationContext & { close: ReturnType<typeof vi.fn> };
  return { app, createContext: vi.fn(async () => app) };
}

const echo: Command = {
  name: 'echo',
  usage: 'echo --code <n>',
  async run(_app, argv) {
    const { values } = parseArgs({ args: argv, options: { code: { type: 'string' } }, strict: true });
    return Number(values.code ?? 0);
  },
};

describe('runCommand', () => {
  it('runs the named command in a context it closes afterwards, returning its exit code', async () => {
    const { app, createContext } = context();
    expect(await runCommand({ commands: [echo], name: 'echo', argv: ['--code', '3'], createContext })).toBe(3);
    expect(app.close).toHaveBeenCalledOnce();
  });

  it('answers 2 with the usage for bad arguments, and still closes the context', async () => {
    const { app, createContext } = context();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await runCommand({ commands: [echo], name: 'echo', argv: ['--nope'], createContext })).toBe(2);
    expect(errors.mock.calls.flat().join('\n')).toContain('Usage: echo --code <n>');
    expect(app.close).toHaveBeenCalledOnce();
    errors.mockRestore();
  });

  it('answers 2 for an unknown command, listing the known ones, without creating a context', async () => {
    const { createContext } = context();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await runCommand({ commands: [echo], name: 'nope', argv: [], createContext })).toBe(2);
    expect(errors.mock.calls.flat().join('\n')).toMatch(/Unknown command "nope"[\s\S]*echo --code <n>/);
    expect(createContext).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('lets other failures through, after closing the context', async () => {
    const { app, createContext } = context();
    const failing: Command = { name: 'fail', usage: 'fail', run: async () => Promise.reject(new Error('boom')) };
    await expect(runCommand({ commands: [failing], name: 'fail', argv: [], createContext })).rejects.toThrow('boom');
    expect(app.close).toHaveBeenCalledOnce();
  });
});

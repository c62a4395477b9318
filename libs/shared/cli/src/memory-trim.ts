import { Logger } from '@nestjs/common';
import type * as Koffi from 'koffi';

type MallocTrim = ReturnType<Koffi.LibraryHandle['func']>;

/**
 * glibc's `malloc_trim`, or undefined where the C library is not glibc (musl, macOS): there is nothing to call. koffi
 * (a native module) is loaded here, so a command run or a process with the trim off never loads it.
 */
function loadMallocTrim(): MallocTrim | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return (require('koffi') as typeof Koffi).load('libc.so.6').func('int malloc_trim(size_t pad)');
  } catch {
    return undefined;
  }
}

/**
 * Now and every `intervalMs`, gives the memory that glibc's allocator holds free back to the system
 * (`malloc_trim(0)`): what V8's compiler threads, start-up and bursts of work freed in the middle of its arenas, which
 * a `free` never returns (the allocator itself only trims the top of a heap). Runs on libuv's thread pool, never two
 * at once; the timer does not keep the process alive. 0 turns it off. Answers a function that stops it. (ADR 0039.)
 */
export function startMemoryTrim(intervalMs: number, logger = new Logger('MemoryTrim')): () => void {
  const trim = intervalMs > 0 ? loadMallocTrim() : undefined;
  if (!trim) return () => undefined;
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    trim.async(0, (error: Error | null) => {
      running = false;
      if (error) logger.warn(`malloc_trim failed: ${error.message}`);
    });
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

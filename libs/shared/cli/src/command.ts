import type { INestApplicationContext } from '@nestjs/common';

/** An operator command of `main.js <name> [args]`, run in an application context without HTTP, workers or schedulers. */
export interface Command {
  name: string;
  usage: string;
  run(app: INestApplicationContext, argv: string[]): Promise<number>;
}

import { InvalidEnvironmentError } from '@bitro/config';
import { startupDone } from './process-start';

/**
 * Ends an app's `main()`: a command's exit code exits the process, `undefined` (a server) keeps it running, and a
 * start-up failure exits 1, an invalid environment printed as the list of variables at fault. Either way start-up is
 * over: stacks are mapped again from here on (see process-start).
 */
export function settleMain(main: Promise<number | undefined>): void {
  main.then(
    (code) => {
      startupDone();
      if (code !== undefined) process.exit(code);
    },
    (error: unknown) => {
      startupDone();
      console.error(error instanceof InvalidEnvironmentError ? error.message : error);
      process.exit(1);
    },
  );
}

import { InvalidEnvironmentError } from '@bitro/config';

/**
 * Ends an app's `main()`: a command's exit code exits the process, `undefined` (a server) keeps it running, and a
 * start-up failure exits 1, an invalid environment printed as the list of variables at fault.
 */
export function settleMain(main: Promise<number | undefined>): void {
  main.then(
    (code) => {
      if (code !== undefined) process.exit(code);
    },
    (error: unknown) => {
      console.error(error instanceof InvalidEnvironmentError ? error.message : error);
      process.exit(1);
    },
  );
}

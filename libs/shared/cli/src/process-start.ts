import { withLazyDateFormats } from './lazy-date-formats';
import { pauseSourceMaps } from './source-maps';

/**
 * The start of each main: the first module a bundle evaluates after reflect-metadata (this library's index imports it
 * first; each main imports the library next). It keeps out of memory what a process would load during start-up and
 * not use (ADR 0042):
 * - the source maps of the dependencies start-up loads (Node parses each on load and keeps it; they map frames of
 *   compiled dependency code). The bundle's own map was read with the bundle; `settleMain` starts reading maps again
 *   when main() settles, before it reports a start-up failure, so every stack formatted after start-up is mapped;
 * - ICU's date data: @nestjs/common's console logger builds two `Intl.DateTimeFormat` when it loads, for a timestamp
 *   our processes never print (they log JSON through pino); built on first use should Nest's own logger print.
 */
export const startupDone: () => void = pauseSourceMaps();
withLazyDateFormats(() => require('@nestjs/common'));

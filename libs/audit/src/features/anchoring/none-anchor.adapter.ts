import type { AnchorPort } from './anchor.port';

/** AUDIT_ANCHOR=none: block roots stay in the database only. */
export class NoneAnchorAdapter implements AnchorPort {
  readonly name = 'none';

  async publish(): Promise<null> {
    return null;
  }
}

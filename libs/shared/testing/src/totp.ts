import { TOTP, URI } from 'otpauth';

/**
 * The TOTP code of an `otpauth://` URI (what admin:create prints and enrolment returns), `stepOffset` 30-second steps
 * from now: a server accepts each step once and one step either side, so a test needing several codes within a
 * step uses offsets -1, 0 and 1.
 */
export function totpCode(otpauthUri: string, stepOffset = 0): string {
  const totp = URI.parse(otpauthUri);
  if (!(totp instanceof TOTP)) throw new Error(`not a TOTP URI: ${otpauthUri}`);
  return totp.generate({ timestamp: Date.now() + stepOffset * totp.period * 1000 });
}

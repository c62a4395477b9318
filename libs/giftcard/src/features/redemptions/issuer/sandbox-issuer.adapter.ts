import { type IssuerPort, type IssuerRedemption, IssuerRequestRejectedError, IssuerUnavailableError, type IssuerVerification } from './issuer.port';

/**
 * PINs with a fixed answer in the sandbox, whatever the brand (dashes and spaces in a PIN are ignored).
 * See PROTOCOL.md, "Sandbox", for the full rules.
 */
export const SANDBOX_PINS = {
  /** Valid, 10,000 KRW. */
  valid10k: '1111-2222-3333-4444',
  /** Valid, 50,000 KRW. */
  valid50k: '5000-0000-0000-0000',
  /** Invalid. */
  invalid: '0000-0000-0000-0000',
  /** Already used (so is every PIN starting 9999). */
  alreadyUsed: '9999-0000-0000-0000',
  /** The issuer is down: IssuerUnavailableError (so is every PIN starting 5555). */
  issuerDown: '5555-0000-0000-0000',
} as const;

const FIXED: ReadonlyMap<string, Verdict> = new Map<string, Verdict>([
  [digitsOf(SANDBOX_PINS.valid10k), { status: 'valid', faceValueKrw: 10_000n }],
  [digitsOf(SANDBOX_PINS.valid50k), { status: 'valid', faceValueKrw: 50_000n }],
  [digitsOf(SANDBOX_PINS.invalid), { status: 'invalid' }],
]);

type Verdict = IssuerVerification | { status: 'down' };

/** The sandbox's answer to a PIN nobody has used yet. */
function judge(digits: string): Verdict {
  if (!/^(\d{16}|\d{18})$/.test(digits)) return { status: 'invalid' };
  const fixed = FIXED.get(digits);
  if (fixed) return fixed;
  if (digits.startsWith('9999')) return { status: 'already-used' };
  if (digits.startsWith('5555')) return { status: 'down' };
  const digitSum = [...digits].reduce((sum, digit) => sum + Number(digit), 0);
  return digitSum % 2 === 0 ? { status: 'valid', faceValueKrw: 10_000n } : { status: 'invalid' };
}

function digitsOf(pin: string): string {
  return pin.replace(/[\s-]/g, '');
}

/**
 * The `n`-th (0 ≤ n < 10^14) of many distinct PINs the sandbox takes for 10,000 KRW, as 4-4-4-4 digits:
 * "1", n in 14 digits, then a digit making the digit sum even. Load tests draw thousands from here.
 */
export function sandboxValidPin(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e14) throw new RangeError(`n must be a whole number in [0, 10^14), got ${n}`);
  const body = `1${String(n).padStart(14, '0')}`;
  const digitSum = [...body].reduce((sum, digit) => sum + Number(digit), 0);
  return `${body}${digitSum % 2}`.replace(/(\d{4})(?=\d)/g, '$1-');
}

/**
 * A deterministic in-process issuer for development and tests (ISSUER=sandbox). It remembers, for its lifetime,
 * which PINs it has used up and the first answer to every redeem reference.
 */
export class SandboxIssuer implements IssuerPort {
  private readonly usedBy = new Map<string, string>();
  private readonly answers = new Map<string, { digits: string; answer: IssuerRedemption }>();
  private redemptions = 0;

  async verify(input: { brand: string; pin: string }): Promise<IssuerVerification> {
    const digits = digitsOf(input.pin);
    const verdict = judge(digits);
    if (verdict.status === 'down') throw this.down();
    if (verdict.status === 'valid' && this.usedBy.has(digits)) return { status: 'already-used' };
    return verdict;
  }

  async redeem(input: { brand: string; pin: string; reference: string }): Promise<IssuerRedemption> {
    const digits = digitsOf(input.pin);
    const first = this.answers.get(input.reference);
    if (first) {
      if (first.digits !== digits) throw new IssuerRequestRejectedError(`Sandbox issuer: reference ${input.reference} was used for another PIN`, 409);
      return first.answer;
    }
    const verdict = judge(digits);
    if (verdict.status === 'down') throw this.down();
    let answer: IssuerRedemption = verdict.status === 'valid' ? { status: 'redeemed', faceValueKrw: verdict.faceValueKrw } : verdict;
    if (answer.status === 'redeemed') {
      if (this.usedBy.has(digits)) {
        answer = { status: 'already-used' };
      } else {
        this.usedBy.set(digits, input.reference);
        this.redemptions++;
      }
    }
    this.answers.set(input.reference, { digits, answer });
    return answer;
  }

  /** The reference that used this PIN up here, if any. */
  usedByReference(pin: string): string | undefined {
    return this.usedBy.get(digitsOf(pin));
  }

  /** How many PINs this sandbox has used up. */
  get redemptionCount(): number {
    return this.redemptions;
  }

  private down(): IssuerUnavailableError {
    return new IssuerUnavailableError('Sandbox issuer: PINs starting 5555 simulate an issuer that is down');
  }
}

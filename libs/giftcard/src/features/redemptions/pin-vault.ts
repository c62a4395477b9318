import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { type FingerprintedRequest, requestFingerprint } from '@bitro/idempotency';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Keeps PINs out of the database in clear. A PIN is identified by an HMAC-SHA256 under
 * PIN_HASH_KEY (to refuse reuse); while a redemption is pending its PIN is also kept sealed with
 * AES-256-GCM under a key derived from PIN_HASH_KEY by HKDF, bound to the redemption id, so the
 * retry job can finish it. The sealed copy is wiped as soon as the redemption leaves pending.
 */
@Injectable()
export class PinVault {
  private readonly hmacKey: Buffer;
  private readonly sealKey: Buffer;

  constructor(@Inject(BITRO_ENV) env: Pick<BitroEnv, 'PIN_HASH_KEY'>) {
    this.hmacKey = Buffer.from(env.PIN_HASH_KEY, 'utf8');
    this.sealKey = Buffer.from(hkdfSync('sha256', this.hmacKey, 'bitro.giftcard', 'pin-seal.v1', 32));
  }

  /** The keyed hash of a normalised PIN of a brand (hex). */
  hash(brand: string, pin: string): string {
    return this.mac(`pin:${brand}:${pin}`);
  }

  /** The fingerprint of a redemption request under its Idempotency-Key, keyed: the request holds the PIN. */
  requestFingerprint(request: FingerprintedRequest): string {
    return requestFingerprint(request, this.hmacKey);
  }

  /** The fingerprint that keys stored before @bitro/idempotency carry; none is left IDEMPOTENCY_RETENTION_HOURS after. */
  formerRequestFingerprint(brand: string, pin: string): string {
    return this.mac(`request:${brand}:${pin}`);
  }

  seal(pin: string, redemptionId: string): Uint8Array<ArrayBuffer> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    cipher.setAAD(Buffer.from(redemptionId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(pin, 'utf8'), cipher.final()]);
    return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]));
  }

  /** The PIN sealed for this redemption; throws if the data was altered or sealed for another redemption. */
  open(sealed: Uint8Array, redemptionId: string): string {
    const data = Buffer.from(sealed);
    if (data[0] !== VERSION) throw new Error(`Unknown sealed PIN version ${data[0]}`);
    const iv = data.subarray(1, 1 + IV_BYTES);
    const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.sealKey, iv);
    decipher.setAAD(Buffer.from(redemptionId, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  private mac(message: string): string {
    return createHmac('sha256', this.hmacKey).update(message, 'utf8').digest('hex');
  }
}

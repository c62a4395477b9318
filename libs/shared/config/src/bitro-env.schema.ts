import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { memoryTrimIntervalMs, messagingEnvFields, metricsEnvFields } from './env-fields';
import { tracingEnvFields } from './tracing-env';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const isStrictAddress = (address: string) => ipaddr.IPv4.isValidFourPartDecimal(address) || ipaddr.IPv6.isValid(address);
/** An address or a CIDR range, written out in full (no `10.1` shorthand). */
const isAddressOrRange = (entry: string) => {
  const [address = '', prefix] = entry.split('/');
  if (!isStrictAddress(address)) return false;
  if (prefix === undefined) return true;
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    return false;
  }
};

/**
 * The proxies in front of bitro-api whose X-Forwarded-For / -Proto are believed: `false` (none, the default), a hop
 * count (`1`: the one nginx in front), or their addresses and CIDR ranges, comma-separated. Never "every hop" (`true`):
 * a client could then choose the address the per-IP limits count.
 */
export const trustProxySchema = z
  .string()
  .trim()
  .refine((value) => value.toLowerCase() !== 'true', "must not be 'true' (it trusts every hop): give the hop count or the proxies' addresses")
  .transform((value, context): false | number | string[] => {
    if (value === 'false' || value === '0') return false;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
    const bad = entries.filter((entry) => !isAddressOrRange(entry));
    if (entries.length === 0 || bad.length > 0) {
      context.addIssue({ code: 'custom', message: `must be false, a hop count, or IP addresses/CIDR ranges (not ${bad.join(', ') || 'empty'})` });
      return z.NEVER;
    }
    return entries;
  });

const secret = z.string().min(32, 'must be at least 32 characters (use a random secret)');

export const bitroRoleSchema = z.enum(['http', 'worker', 'scheduler']);
export type BitroRole = z.infer<typeof bitroRoleSchema>;

/** The one schema of bitro-api's environment. `.env.example` documents every variable. */
export const bitroEnvSchema = z.object({
  BITRO_ROLES: z
    .string()
    .default('http,worker,scheduler')
    .transform((value) => value.split(',').map((role) => role.trim()).filter(Boolean))
    .pipe(z.array(bitroRoleSchema).min(1, 'name at least one of http, worker, scheduler')),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  ...metricsEnvFields(9464),
  MEMORY_TRIM_INTERVAL_MS: memoryTrimIntervalMs,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: trustProxySchema.default(false),
  BODY_LIMIT_BYTES: positiveInt.default(1_048_576),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// URL' }),
  DATABASE_POOL_SIZE: positiveInt.default(20),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }),
  REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]*$/, 'letters, digits and : . _ - only').default('bitro:'),
  JWT_SECRET: secret,
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(900),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt.default(30 * 24 * 3600),
  LOGIN_THROTTLE_WINDOW_SECONDS: positiveInt.default(900),
  LOGIN_MAX_ATTEMPTS_PER_IP: positiveInt.default(50),
  /** Login attempts per account and window without a success; each is counted before its password is checked. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt.default(5),
  /** Signups per IP and per e-mail address in a LOGIN_THROTTLE_WINDOW_SECONDS window (checked before any hashing). */
  SIGNUP_MAX_PER_IP: positiveInt.default(20),
  SIGNUP_MAX_PER_EMAIL: positiveInt.default(3),
  /** Wrong current passwords on PATCH /v1/me per account and window. */
  PASSWORD_CHANGE_MAX_FAILURES: positiveInt.default(5),
  /**
   * Until a user verifies the e-mail address (a code sent at signup), redeeming, deposit addresses and withdrawals
   * are refused (403 email-not-verified). `npm start` turns it off for development.
   */
  EMAIL_VERIFICATION_REQUIRED: flag.default(true),
  EMAIL_VERIFICATION_TTL_SECONDS: positiveInt.default(24 * 3600),
  /** Verification code guesses, and code resends, per user and window. */
  EMAIL_VERIFICATION_MAX_ATTEMPTS: positiveInt.default(5),
  EMAIL_VERIFICATION_MAX_RESENDS: positiveInt.default(3),

  OUTBOX_RELAY_INTERVAL_MS: messagingEnvFields.OUTBOX_RELAY_INTERVAL_MS,
  EVENT_MAX_ATTEMPTS: messagingEnvFields.EVENT_MAX_ATTEMPTS,
  EVENT_BACKOFF_MS: messagingEnvFields.EVENT_BACKOFF_MS,
  EVENT_REDELIVERY_AFTER_MS: messagingEnvFields.EVENT_REDELIVERY_AFTER_MS,
  EVENT_NEW_CONSUMER_BACKFILL_MS: messagingEnvFields.EVENT_NEW_CONSUMER_BACKFILL_MS,
  EVENT_RETENTION_HOURS: messagingEnvFields.EVENT_RETENTION_HOURS,
  ...tracingEnvFields,

  PIN_HASH_KEY: secret,
  ISSUER: z.enum(['sandbox', 'http']).default('sandbox'),
  ISSUER_URL: z.url().optional(),
  ISSUER_API_KEY: z.string().min(1).optional(),
  ISSUER_TIMEOUT_MS: positiveInt.default(3_000),
  REDEMPTION_RETRY_INTERVAL_MS: positiveInt.default(30_000),
  QUOTE_TTL_SECONDS: positiveInt.default(60),
  /**
   * A redemption is held for an admin's review (state flagged) when the user's face value redeemed that Asia/Seoul day,
   * all brands, this card included, exceeds this many KRW; 0 holds every redemption.
   */
  REDEMPTION_REVIEW_DAILY_KRW: z.coerce.bigint().min(0n).default(200_000n),

  PRICE_FEED: z.enum(['fixed', 'http']).default('fixed'),
  PRICE_FEED_URL: z.url().optional(),
  PRICE_FEED_TIMEOUT_MS: positiveInt.default(2_000),
  FIXED_PRICE_KRW_PER_BTC: z.coerce.bigint().positive().default(140_000_000n),

  GATEWAY_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).default('http://127.0.0.1:3100'),
  /**
   * Signs bitro-api's requests to bitcoin-gateway (the gateway's GATEWAY_HMAC_SECRET, its newest one during a rotation).
   * Required in production; elsewhere, without it the deposit and withdrawal routes answer 503.
   */
  GATEWAY_HMAC_SECRET: secret.optional(),
  GATEWAY_TIMEOUT_MS: positiveInt.default(5_000),
  /** At least Core's largest default dust threshold (546 sats, P2PKH): a smaller output would never relay. */
  WITHDRAWAL_MIN_SATS: z.coerce.bigint().min(546n, 'must be at least 546 (the dust threshold of a P2PKH output)').default(10_000n),
  /** Per user and Asia/Seoul day, summed over the withdrawals that were not failed or rejected (awaiting approval counts). */
  WITHDRAWAL_DAILY_LIMIT_SATS: z.coerce.bigint().positive().default(10_000_000n),
  /** The default maxFee of a withdrawal: the gateway's current fee estimate times this, in percent. */
  WITHDRAWAL_MAX_FEE_MULTIPLIER_PERCENT: z.coerce.number().int().min(100).max(10_000).default(200),
  /**
   * A withdrawal of more than this (amountSats > threshold) waits in `awaiting-approval`, held, until an admin approves
   * or rejects it. Default 5,000,000 (0.05 BTC); 0: every withdrawal waits; 2100000000000000 (21 million BTC): none does.
   */
  WITHDRAWAL_APPROVAL_THRESHOLD_SATS: z.coerce.bigint().min(0n).default(5_000_000n),

  /** Most records in one audit block. */
  AUDIT_BLOCK_MAX_RECORDS: z.coerce.number().int().min(1).max(100_000).default(1_000),
  /** A partial audit block is sealed once its oldest record is this old, ms; the sealer runs this often too. */
  AUDIT_BLOCK_INTERVAL_MS: positiveInt.default(60_000),
  /**
   * Where sealed audit block roots are published: none (only kept in the database), or gateway (an OP_RETURN
   * transaction through bitcoin-gateway, which needs GATEWAY_HMAC_SECRET; each costs a network fee).
   */
  AUDIT_ANCHOR: z.enum(['none', 'gateway']).default('none'),

  /** How often the reconciliation check runs, ms. */
  RECONCILE_INTERVAL_MS: positiveInt.default(300_000),
  /** An approved redemption or a publication incomplete for longer than this is reported, not taken as in flight. */
  RECONCILE_GRACE_MINUTES: z.coerce.number().int().min(0).default(5),
  /** Settled rows and journals that changed in this many past hours are compared on each run (`reconcile --all`: all). */
  RECONCILE_WINDOW_HOURS: positiveInt.default(24),
  /** Idempotency-Key answers are kept this many hours, then deleted in batches. */
  IDEMPOTENCY_RETENTION_HOURS: positiveInt.default(48),

  /** The notification e-mail server, e.g. smtp://user:pass@mail:587 (smtps:// for implicit TLS); unset: no e-mails. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  SMTP_FROM: z.string().min(3).default('Bitro <no-reply@bitro.dev>'),
  /** Budget of one webhook request, ms. */
  NOTIFICATION_WEBHOOK_TIMEOUT_MS: positiveInt.default(5_000),
  /**
   * Webhooks may point at this machine (loopback addresses, `localhost`): for development and tests with a local
   * receiver only. Private, link-local and every other non-public address is refused regardless.
   */
  NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK: flag.default(false),
  /** Attempts of one e-mail or webhook delivery before it is given up. */
  NOTIFICATION_MAX_ATTEMPTS: positiveInt.default(10),
  /** Delay before the second attempt; doubled after each failure, up to NOTIFICATION_BACKOFF_MAX_MS. */
  NOTIFICATION_BACKOFF_MS: positiveInt.default(2_000),
  NOTIFICATION_BACKOFF_MAX_MS: positiveInt.default(3_600_000),
  /** How often a worker looks for due deliveries, ms. */
  NOTIFICATION_POLL_INTERVAL_MS: positiveInt.default(1_000),

  /** Where uploaded brand images and their variants are written (relative to the working directory unless absolute). */
  IMAGE_DIR: z.string().min(1).default('.data/images'),
  /** Largest image upload, bytes. */
  IMAGE_MAX_BYTES: positiveInt.default(5_242_880),
  /** Most pixels (width × height) an uploaded image may have; also sharp's decompression-bomb guard. */
  IMAGE_MAX_PIXELS: positiveInt.default(25_000_000),
  /** Longest side an uploaded image may have, pixels. */
  IMAGE_MAX_SIDE: positiveInt.default(8_192),
  /** bitro-api serves /images/ itself (development); false behind nginx, which serves IMAGE_DIR directly. */
  SERVE_IMAGES: flag.default(true),
}).superRefine((env, context) => {
  if (env.ISSUER === 'http' && !env.ISSUER_URL) context.addIssue({ code: 'custom', path: ['ISSUER_URL'], message: 'is required when ISSUER=http' });
  if (env.PRICE_FEED === 'http' && !env.PRICE_FEED_URL) context.addIssue({ code: 'custom', path: ['PRICE_FEED_URL'], message: 'is required when PRICE_FEED=http' });
  if (env.AUDIT_ANCHOR === 'gateway' && !env.GATEWAY_HMAC_SECRET) {
    context.addIssue({ code: 'custom', path: ['GATEWAY_HMAC_SECRET'], message: 'is required when AUDIT_ANCHOR=gateway' });
  }
  if (env.NODE_ENV === 'production' && !env.GATEWAY_HMAC_SECRET) {
    context.addIssue({ code: 'custom', path: ['GATEWAY_HMAC_SECRET'], message: 'is required when NODE_ENV=production' });
  }
});

export type BitroEnv = z.output<typeof bitroEnvSchema>;

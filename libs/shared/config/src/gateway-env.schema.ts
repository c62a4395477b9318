import { z } from 'zod';

import { memoryTrimIntervalMs, messagingEnvFields, metricsEnvFields, port, positiveInt } from './env-fields';
import { tracingEnvFields } from './tracing-env';
const SECRET_MIN_LENGTH = 32;
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** The one schema of bitcoin-gateway's environment; bitro-api never reads these variables (nor the gateway bitro-api's). */
export const gatewayEnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: port.default(3100),
    ...metricsEnvFields(9465),
    MEMORY_TRIM_INTERVAL_MS: memoryTrimIntervalMs,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    BODY_LIMIT_BYTES: positiveInt.default(65_536),
    GATEWAY_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// URL' }),
    GATEWAY_DATABASE_POOL_SIZE: positiveInt.default(10),
    ...messagingEnvFields,
    ...tracingEnvFields,

    BITCOIN_NETWORK: z.enum(['mainnet', 'testnet', 'signet', 'regtest']).default('regtest'),
    BITCOIN_RPC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).default('http://127.0.0.1:18443'),
    BITCOIN_RPC_WALLET: z.string().min(1).default('bitro'),
    BITCOIN_RPC_USER: z.string().min(1).optional(),
    BITCOIN_RPC_PASSWORD: z.string().min(1).optional(),
    /** Core's `.cookie` file, used instead of user and password. */
    BITCOIN_RPC_COOKIE_FILE: z.string().min(1).optional(),
    BITCOIN_RPC_TIMEOUT_MS: positiveInt.default(10_000),

    /** Shared with bitro-api. Comma-separated during a rotation: any one verifies, bitro-api signs with its new one. */
    GATEWAY_HMAC_SECRET: z
      .string()
      .transform((value) => value.split(',').map((secret) => secret.trim()).filter(Boolean))
      .pipe(
        z
          .array(z.string().min(SECRET_MIN_LENGTH, `each secret must be at least ${SECRET_MIN_LENGTH} characters (use a random secret)`))
          .min(1, 'name at least one secret'),
      ),
    GATEWAY_HMAC_WINDOW_SECONDS: positiveInt.max(3600).default(300),

    /** Encrypted wallet: a file holding its passphrase; the gateway unlocks the wallet only while it signs. */
    BITCOIN_WALLET_PASSPHRASE_FILE: z.string().min(1).optional(),

    /** sat/vB used on regtest only, when Core has no fee estimate (a fresh chain never has one). */
    FEE_FALLBACK_SAT_PER_VB: positiveInt.max(10_000).default(10),
    /**
     * When Core has no estimate: `refuse` new withdrawals (503), or pay `floor` (FEE_FLOOR_SAT_PER_VB). Unset: `refuse`,
     * except on regtest, which pays FEE_FALLBACK_SAT_PER_VB.
     */
    FEE_NO_ESTIMATE_POLICY: z.enum(['refuse', 'floor']).optional(),
    FEE_FLOOR_SAT_PER_VB: positiveInt.max(10_000).optional(),
    FEE_CONF_TARGET: z.coerce.number().int().min(1).max(1008).default(6),

    /** Blocks a deposit needs before bitro-api credits it. */
    DEPOSIT_CONFIRMATIONS: positiveInt.max(100).default(3),
    /** A full `listsinceblock` scan (mempool deposits, confirmation counts) at least this often. */
    DEPOSIT_SCAN_INTERVAL_MS: positiveInt.default(5_000),
    /**
     * The pause between two watches of the tip: `waitforblockheight` calls Core holds until the next block (20 s at
     * most), or `getbestblockhash` polls where the node refuses that call. A new block triggers a scan at once.
     */
    DEPOSIT_TIP_POLL_MS: positiveInt.default(1_000),
    /** Blocks after which a withdrawal's transaction is reported confirmed. */
    WITHDRAWAL_CONFIRMATIONS: positiveInt.max(100).default(1),
    /** How often the sender looks for queued withdrawals and unconfirmed payouts. */
    WITHDRAWAL_SEND_INTERVAL_MS: positiveInt.default(1_000),
    /** Batching: a queued withdrawal waits up to this long for others to share its transaction (0: send each at once). */
    WITHDRAWAL_BATCH_WINDOW_MS: z.coerce.number().int().min(0).default(0),
    WITHDRAWAL_BATCH_MAX: positiveInt.max(500).default(50),
    /** A payout unconfirmed after this many blocks is fee-bumped (within each withdrawal's maxFeeSats); 0: never. */
    WITHDRAWAL_BUMP_AFTER_BLOCKS: z.coerce.number().int().min(0).max(1008).default(3),
    /** Allow withdrawals to outputs anyone can spend today (witness v2–16, pay-to-anchor, other v1 lengths). */
    WITHDRAWAL_ALLOW_ANYONE_CAN_SPEND: flag.default(false),

    /** How often Core's wallet balances are compared with the gateway's records. */
    RESERVES_CHECK_INTERVAL_MS: positiveInt.default(60_000),
    /** A difference above this pauses automatic payouts until an admin acknowledges it. */
    RESERVES_TOLERANCE_SATS: z.coerce.number().int().min(0).default(0),
  })
  .superRefine((env, context) => {
    const hasUser = env.BITCOIN_RPC_USER !== undefined;
    const hasPassword = env.BITCOIN_RPC_PASSWORD !== undefined;
    const hasCookie = env.BITCOIN_RPC_COOKIE_FILE !== undefined;
    if (hasUser !== hasPassword) {
      const missing = hasUser ? 'BITCOIN_RPC_PASSWORD' : 'BITCOIN_RPC_USER';
      context.addIssue({ code: 'custom', path: [missing], message: 'is required together with the other of BITCOIN_RPC_USER/BITCOIN_RPC_PASSWORD' });
    } else if (hasUser && hasCookie) {
      context.addIssue({ code: 'custom', path: ['BITCOIN_RPC_COOKIE_FILE'], message: 'set either BITCOIN_RPC_USER + BITCOIN_RPC_PASSWORD or BITCOIN_RPC_COOKIE_FILE, not both' });
    } else if (!hasUser && !hasCookie) {
      context.addIssue({ code: 'custom', path: ['BITCOIN_RPC_USER'], message: 'set BITCOIN_RPC_USER + BITCOIN_RPC_PASSWORD or BITCOIN_RPC_COOKIE_FILE' });
    }
    if (env.FEE_NO_ESTIMATE_POLICY === 'floor' && env.FEE_FLOOR_SAT_PER_VB === undefined) {
      context.addIssue({ code: 'custom', path: ['FEE_FLOOR_SAT_PER_VB'], message: 'is required when FEE_NO_ESTIMATE_POLICY=floor' });
    }
    // Run even when other variables are bad, so that one start-up error names every problem.
  }, { when: () => true });

export type GatewayEnv = z.output<typeof gatewayEnvSchema>;

import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** The one schema of bitro-api's environment. `.env.example` documents every variable. */
export const bitroEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: flag.default(false),
  BODY_LIMIT_BYTES: positiveInt.default(1_048_576),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// URL' }),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }),
  REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]*$/, 'letters, digits and : . _ - only').default('bitro:'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (use a random secret)'),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(900),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt.default(30 * 24 * 3600),
  LOGIN_THROTTLE_WINDOW_SECONDS: positiveInt.default(900),
  LOGIN_MAX_ATTEMPTS_PER_IP: positiveInt.default(50),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt.default(5),
});

export type BitroEnv = z.output<typeof bitroEnvSchema>;

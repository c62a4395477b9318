import { randomUUID } from 'node:crypto';
import {
  DEPOSIT_CONFIRMATIONS,
  depositAddress,
  depositReaches,
  eventually,
  fundedUser,
  paymentsTo,
  requestWithdrawal,
  System,
  type User,
} from '@bitro/system-testing';
import { expect } from 'vitest';
import { reconcile } from './reconciliation';
import { PostgresServer, RedisServer } from './servers';

export const USERS = 20;
export const REDEMPTIONS = 300;
/** Everything must be settled this long after the fault ended. */
export const RECOVERY_LIMIT_MS = 60_000;
/** How long a drill that missed the bound keeps watching, to report how late recovery came. */
const LATE_WATCH_MS = 45_000;
const REDIS_PREFIX = 'drill:';
const DEPOSIT_SATS = 5_000_000n;
const WITHDRAWAL_SATS = 3_000_000n;

/**
 * bitro-api's settings in every drill: no e-mail step at signup, 21 signups and logins from one address, no review of 15
 * cards a user, a quick sweep. The issuer (sandbox) and price feed (fixed) are in process: short timeouts shorten the
 * processing lease (processing-lease.ts), after which a redemption or Idempotency-Key that a killed process held is
 * taken over, and the retry job looks every 2 s.
 */
const DRILL_API_ENV = {
  EMAIL_VERIFICATION_REQUIRED: 'false',
  SIGNUP_MAX_PER_IP: '1000',
  LOGIN_MAX_ATTEMPTS_PER_IP: '1000',
  REDEMPTION_REVIEW_DAILY_KRW: '1000000000',
  ISSUER_TIMEOUT_MS: '500',
  PRICE_FEED_TIMEOUT_MS: '500',
  REDEMPTION_RETRY_INTERVAL_MS: '2000',
  EVENT_REDELIVERY_AFTER_MS: '5000',
};
const DRILL_GATEWAY_ENV = { EVENT_REDELIVERY_AFTER_MS: '5000' };

/** The n-th valid sandbox PIN (16 digits, even digit sum; see libs/giftcard/src/features/redemptions/issuer/PROTOCOL.md). */
function sandboxPin(n: number): string {
  const body = `7${String(n).padStart(14, '0')}`;
  const sum = [...body].reduce((total, digit) => total + Number(digit), 0);
  return `${body}${sum % 2}`;
}

/** How far the redemption load has come; a fault waits on it to strike mid-load. */
export interface LoadProgress {
  accepted: number;
  /** Answers other than 202 that were retried with the same Idempotency-Key (connection refused, 5xx, 503). */
  retried: number;
  done: boolean;
}

/** What a fault did (printed), resolved when the fault is over. */
export type Fault = (drill: Drill, load: LoadProgress) => Promise<Record<string, unknown>>;

export interface DrillOptions {
  apiEnv?: Record<string, string>;
  /** Runs after the System is up and before any load (e.g. starting another replica). */
  setup?: (drill: Drill) => Promise<void>;
  /** What else must hold once the fault is over (empty: holds); checked with the rest until the deadline. */
  outstanding?: (drill: Drill) => Promise<string[]>;
}

/**
 * One fault drill: its own PostgreSQL and Redis, the three processes on them, 20 users redeeming 300 gift cards with a
 * deposit and a withdrawal in flight; a fault strikes mid-load; then everything accepted must be settled exactly once,
 * with no manual action, within RECOVERY_LIMIT_MS of the fault ending.
 */
export class Drill {
  users: User[] = [];
  payer: User | undefined;
  readonly report: Record<string, unknown> = {};
  private acceptedIds: string[] = [];
  /** Answers a client could not retry (e.g. a 4xx during an outage): each one a finding. */
  private refusals: string[] = [];
  private deposit: { txid: string } | undefined;
  private withdrawal: { id: string; address: string } | undefined;

  private constructor(
    readonly name: string,
    readonly system: System,
    readonly redis: RedisServer,
    readonly postgres: PostgresServer,
  ) {}

  static async start(name: string, options: DrillOptions = {}): Promise<Drill> {
    const [redis, postgres] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
    const stopServers = () => Promise.all([redis.kill(), postgres.stop()]);
    const system = await System.start(
      { ...DRILL_API_ENV, ...options.apiEnv },
      {
        gatewayEnv: DRILL_GATEWAY_ENV,
        // The servers go with the drill (close()), so the system leaves nothing of its own to remove.
        infrastructure: {
          apiDatabaseUrl: postgres.url('bitro'),
          gatewayDatabaseUrl: postgres.url('bitro_gateway'),
          redisUrl: redis.url,
          redisPrefix: REDIS_PREFIX,
          release: async () => undefined,
        },
      },
    ).catch(async (error: unknown) => {
      await stopServers();
      throw error;
    });
    return new Drill(name, system, redis, postgres);
  }

  /** Runs the drill: load, `fault` mid-load, then waits for everything to settle and asserts it did. */
  async run(fault: Fault, options: DrillOptions = {}): Promise<void> {
    const started = Date.now();
    try {
      await options.setup?.(this);
      await this.prepare();
      this.report['prepareSeconds'] = seconds(Date.now() - started);
      const load: LoadProgress = { accepted: 0, retried: 0, done: false };
      const loadStarted = Date.now();
      const [faultFacts] = await Promise.all([
        fault(this, load).then((facts) => ({ ...facts, endedAt: Date.now() })),
        this.redeemAll(load).finally(() => {
          load.done = true;
        }),
      ]);
      const { endedAt, ...facts } = faultFacts;
      const loadEndedAt = Date.now();
      this.report['offered'] = {
        redemptions: `${REDEMPTIONS} across ${USERS} users (sandbox issuer, fixed price), ${this.acceptedIds.length} accepted in ${seconds(Date.now() - loadStarted)} s, ${load.retried} answers retried with the same Idempotency-Key`,
        deposit: `${DEPOSIT_SATS} sats, confirmations mined just before the fault`,
        withdrawal: `${WITHDRAWAL_SATS} sats, requested just before the fault`,
      };
      this.report['fault'] = facts;
      // The clock starts when the fault is over and the load fully offered: on a slow machine the load can outlast the fault.
      this.report['recoveryClock'] = endedAt >= loadEndedAt ? 'from the end of the fault' : `from the last redemption accepted, ${seconds(loadEndedAt - endedAt)} s after the fault ended`;
      await this.expectSettled(Math.max(endedAt, loadEndedAt), options);
    } finally {
      this.report['drillSeconds'] = seconds(Date.now() - started);
      console.log(`fault drill "${this.name}"\n${JSON.stringify(this.report, null, 2)}`);
    }
  }

  /**
   * The deposit and withdrawal in flight: the withdrawal requested and the deposit's confirmations mined, so both
   * are travelling between the processes when the fault strikes. Faults call it right before striking.
   */
  async moneyInFlight(): Promise<void> {
    const payer = this.requirePayer();
    const { withdrawal, address } = await requestWithdrawal(this.system, payer, WITHDRAWAL_SATS);
    this.withdrawal = { id: withdrawal.id, address };
    await this.system.mine(DEPOSIT_CONFIRMATIONS);
  }

  /** Resolves once half the load is accepted, with the money in flight. */
  async halfway(load: LoadProgress): Promise<void> {
    await eventually(async () => load.accepted >= REDEMPTIONS / 2 || load.done, () => 'the load never got halfway', 120_000);
    await this.moneyInFlight();
  }

  /** Jobs waiting, delayed or running in a consumer's BullMQ queue, read from Redis. */
  consumerQueueJobs(consumer: string): Promise<number> {
    const key = (suffix: string) => `${REDIS_PREFIX}bull:messaging-consumer-${consumer}:${suffix}`;
    return this.redis.withClient(async (redis) => {
      const counts = await redis
        .multi()
        .llen(key('wait'))
        .llen(key('paused'))
        .llen(key('active'))
        .zcard(key('prioritized'))
        .zcard(key('delayed'))
        .exec();
      return (counts ?? []).reduce((total, [, n]) => total + Number(n), 0);
    });
  }

  /** bitro-api's processes and the gateway, with their pids (a fault other than a restart must leave them as they are). */
  pids(): Record<string, number | undefined> {
    return { 'bitcoin-gateway': this.system.gateway.pid, 'bitro-api': this.system.api.pid };
  }

  async close(): Promise<void> {
    await this.system.close();
    await Promise.all([this.redis.kill(), this.postgres.stop()]);
  }

  private requirePayer(): User {
    if (!this.payer) throw new Error('prepare() first');
    return this.payer;
  }

  private async prepare(): Promise<void> {
    for (let i = 0; i < USERS; i += 5) this.users.push(...(await Promise.all(Array.from({ length: 5 }, () => this.system.signup()))));
    this.payer = await fundedUser(this.system, 30_000_000n);
    const txid = await this.system.send(await depositAddress(this.system, this.payer), DEPOSIT_SATS);
    await depositReaches(this.system, this.payer, txid, 'detected');
    this.deposit = { txid };
  }

  /** 300 redemptions, 20 at a time; one that gets no 202 is retried with its Idempotency-Key, as a client would. */
  private async redeemAll(load: LoadProgress): Promise<void> {
    const run = randomUUID();
    const seed = Math.floor(Math.random() * 1e9) * 1_000;
    let next = 0;
    const redeem = async (i: number): Promise<void> => {
      const user = this.users[i % USERS];
      if (!user) throw new Error('no users');
      // The drill counts and paces its retries itself (connection refused included): a client that does not retry.
      const client = this.system.client({ accessToken: user.token }, { retries: 0 });
      const deadline = Date.now() + 150_000;
      for (;;) {
        const answer = await client
          .POST('/v1/giftcards/redemptions', { headers: { 'idempotency-key': `${run}-${i}` }, body: { brand: 'cultureland', pin: sandboxPin(seed + i) } })
          .then(({ data, error, response }) => ({ status: response.status, id: data?.id, body: data ?? error }))
          .catch((error: Error) => ({ status: 0, id: undefined, body: { error: error.message } }));
        if (answer.status === 202 && answer.id) {
          this.acceptedIds.push(answer.id);
          load.accepted += 1;
          return;
        }
        // A key claimed by a request the fault cut off answers 409 until the processing lease passes.
        const inUse = answer.status === 409 && (answer.body as { type?: string }).type?.endsWith('/idempotency-key-in-use');
        const retryable = answer.status === 0 || answer.status === 429 || answer.status >= 500 || inUse;
        if (!retryable || Date.now() > deadline) {
          this.refusals.push(`redemption ${i} was refused: ${answer.status} ${JSON.stringify(answer.body)}`);
          return;
        }
        load.retried += 1;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < REDEMPTIONS) await redeem(next++);
      }),
    );
  }

  /** Mines a block a second (the outside world goes on) and waits until everything is settled; then asserts. */
  private async expectSettled(clockStart: number, options: DrillOptions): Promise<void> {
    let mining = true;
    const miner = (async () => {
      while (mining) {
        await this.system.mine(1).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    })();
    const settle = async (until: number): Promise<string[]> => {
      for (;;) {
        let lines = await this.outstanding(options).catch((error: Error) => [`cannot check yet: ${error.message}`]);
        // The command starts an application context: asked only once everything else is settled.
        if (lines.length === 0) lines = reconcile(this.system).findings;
        if (lines.length === 0 || Date.now() > until) return lines;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    let outstanding: string[] = [];
    let lateMs: number | undefined;
    let recoveredMs = 0;
    try {
      outstanding = await settle(clockStart + RECOVERY_LIMIT_MS);
      recoveredMs = Date.now() - clockStart;
      // Past the bound the drill fails; it still watches a while longer to tell how late recovery is, if it comes.
      if (outstanding.length > 0 && (await settle(Date.now() + LATE_WATCH_MS)).length === 0) lateMs = Date.now() - clockStart;
    } finally {
      mining = false;
      await miner;
    }
    this.report['found'] = {
      settled: outstanding.length === 0,
      secondsToRecover:
        outstanding.length === 0 ? seconds(recoveredMs) : `not within ${RECOVERY_LIMIT_MS / 1000} s${lateMs === undefined ? `, nor ${LATE_WATCH_MS / 1000} s later` : ` (settled after ${seconds(lateMs)} s)`}`,
      outstandingAtTheBound: summarize(outstanding),
      reconcile: outstanding.length === 0 ? 'OK' : 'not reached (the rest was not settled) or drifted: see outstanding',
      redemptions: await this.redemptionFigures(),
      eventsRedelivered: await this.redeliveries(),
      ...(await this.backbone()),
    };
    expect(outstanding, `not settled ${RECOVERY_LIMIT_MS / 1000} s after the fault ended and the load was offered:\n${summarize(outstanding).join('\n')}\n${this.system.logs()}`).toEqual([]);
    const ledger = this.system.command('ledger:verify');
    (this.report['found'] as Record<string, unknown>)['ledgerVerify'] = ledger.code === 0 ? 'OK' : ledger.output.trim().split('\n').slice(-5);
    expect(ledger.code, ledger.output).toBe(0);
  }

  /** Everything not yet as it must end: one line per unsettled item. */
  private async outstanding(options: DrillOptions): Promise<string[]> {
    const lines: string[] = [];
    if (this.acceptedIds.length !== REDEMPTIONS) lines.push(`only ${this.acceptedIds.length} of ${REDEMPTIONS} redemptions were accepted`, ...this.refusals);
    const { rows } = await this.system.apiPool.query<{ id: string; state: string; journals: number }>(
      `SELECT r.id, r.state::text AS state, (SELECT count(*)::int FROM "wallet"."journals" j WHERE j.reference = 'redemption:' || r.id::text) AS journals
         FROM "giftcard"."redemptions" r WHERE r.id = ANY($1::uuid[])`,
      [this.acceptedIds],
    );
    const found = new Set(rows.map((row) => row.id));
    for (const id of this.acceptedIds) if (!found.has(id)) lines.push(`redemption ${id} was accepted but is not stored`);
    for (const row of rows) if (row.state !== 'credited' || row.journals !== 1) lines.push(`redemption ${row.id} is ${row.state} with ${row.journals} credit journals`);
    lines.push(...(await this.depositOutstanding()), ...(await this.withdrawalOutstanding()));
    lines.push(...((await options.outstanding?.(this)) ?? []));
    return lines;
  }

  private async depositOutstanding(): Promise<string[]> {
    const txid = this.deposit?.txid;
    const { rows } = await this.system.apiPool.query<{ status: string; credits: number }>(
      `SELECT d.status::text AS status,
              (SELECT count(*)::int FROM "wallet"."journals" j WHERE j.reference LIKE 'deposit:' || d.txid || ':' || d.vout || ':%') AS credits
         FROM "wallet"."deposits" d WHERE d.txid = $1`,
      [txid],
    );
    const deposit = rows[0];
    return deposit?.status === 'confirmed' && deposit.credits === 1 ? [] : [`deposit ${txid} is ${deposit?.status ?? 'unknown'} with ${deposit?.credits ?? 0} credits`];
  }

  private async withdrawalOutstanding(): Promise<string[]> {
    const withdrawal = this.withdrawal;
    if (!withdrawal) return ['no withdrawal was requested'];
    const { rows } = await this.system.apiPool.query<{ status: string }>(`SELECT status::text AS status FROM "wallet"."withdrawals" WHERE id = $1`, [withdrawal.id]);
    const payments = await paymentsTo(this.system, withdrawal.address);
    const status = rows[0]?.status ?? 'unknown';
    return status === 'confirmed' && payments.length === 1 ? [] : [`withdrawal ${withdrawal.id} is ${status}, paid ${payments.length} times on chain`];
  }

  private async redemptionFigures(): Promise<Record<string, number>> {
    const { rows } = await this.system.apiPool.query<{ state: string; n: number }>(
      `SELECT state::text AS state, count(*)::int AS n FROM "giftcard"."redemptions" WHERE id = ANY($1::uuid[]) GROUP BY state`,
      [this.acceptedIds],
    );
    const journals = await this.system.apiPool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "wallet"."journals" WHERE reference = ANY($1::text[])`,
      [this.acceptedIds.map((id) => `redemption:${id}`)],
    );
    return { accepted: this.acceptedIds.length, ...Object.fromEntries(rows.map((row) => [row.state, row.n])), creditJournals: journals.rows[0]?.n ?? 0 };
  }

  /** Where undelivered events wait: the outbox backlog, dead letters, the wallet's queue. */
  private async backbone(): Promise<Record<string, unknown>> {
    const { rows } = await this.system.apiPool.query<{ backlog: number; incomplete: number; dead: number }>(
      `SELECT (SELECT count(*)::int FROM "messaging"."outbox" WHERE published_at IS NULL) AS backlog,
              (SELECT count(*)::int FROM "messaging"."publications" WHERE completed_at IS NULL) AS incomplete,
              (SELECT count(*)::int FROM "messaging"."dead_letters" WHERE resubmitted_at IS NULL) AS dead`,
    );
    return {
      outboxBacklog: rows[0]?.backlog,
      incompletePublications: rows[0]?.incomplete,
      deadLetters: rows[0]?.dead,
      walletQueueJobs: await this.consumerQueueJobs('wallet').catch((error: Error) => error.message),
    };
  }

  /** Publications delivered more than once, per process and consumer. */
  private async redeliveries(): Promise<Record<string, unknown>> {
    const count = async (pool: System['apiPool']) =>
      Object.fromEntries(
        (
          await pool.query<{ consumer: string; events: number; deliveries: number }>(
            `SELECT consumer, count(*)::int AS events, sum(deliveries - 1)::int AS deliveries
               FROM "messaging"."publications" WHERE deliveries > 1 GROUP BY consumer ORDER BY consumer`,
          )
        ).rows.map((row) => [row.consumer, `${row.events} events, ${row.deliveries} extra deliveries`]),
      );
    return { 'bitro-api': await count(this.system.apiPool), 'bitcoin-gateway': await count(this.system.gatewayPool) };
  }
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** The first lines and a count, so a report of 300 stuck redemptions stays readable. */
function summarize(lines: string[]): string[] {
  return lines.length <= 12 ? lines : [...lines.slice(0, 10), `... and ${lines.length - 10} more`];
}

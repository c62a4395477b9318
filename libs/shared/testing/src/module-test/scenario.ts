import type { DomainEvent, EventContractLike } from '@bitro/messaging';
import type { z } from 'zod';
import type { OutboxReader } from './outbox-reader';

export interface WaitOptions {
  /** How long to wait once the stimulus has returned (default 10 s). */
  timeoutMs?: number;
  /** How often to look (default 25 ms). */
  pollMs?: number;
}

export interface StateChangeOptions extends WaitOptions {
  /** What is awaited, for the failure message ("the withdrawal to be approved"); default "the state change". */
  description?: string;
}

/** A scenario waited longer than its timeout; the message says what was expected and what was seen instead. */
export class ScenarioTimeoutError extends Error {
  override name = 'ScenarioTimeoutError';
}

const DEFAULTS: Required<WaitOptions> = { timeoutMs: 10_000, pollMs: 25 };
const SHOWN_EVENTS = 10;
const SHOWN_CHARS = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A value for a failure message: JSON (bigints as `123n`), cut after a few hundred characters. */
function show(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item));
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

/** Accepted without a predicate, as in Spring Modulith: anything but undefined, null, false and an empty array. */
function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && !(Array.isArray(value) && value.length === 0);
}

function eventTimeoutMessage(contract: EventContractLike, filtered: boolean, timeoutMs: number, arrived: DomainEvent[]): string {
  const { name } = contract;
  const head = `Timed out after ${timeoutMs} ms waiting for ${name}${filtered ? ' matching the predicate' : ''}: `;
  const named = arrived.filter((event) => event.name === name);
  if (named.length > 0) {
    // Parsed, the payload shows its fields in the contract's order (jsonb keeps its own).
    const listed = named.slice(0, SHOWN_EVENTS).map((event) => `\n  - ${show(contract.payload.safeParse(event.payload).data ?? event.payload)}`);
    const more = named.length > SHOWN_EVENTS ? `\n  ... and ${named.length - SHOWN_EVENTS} more` : '';
    return `${head}none of the ${named.length} ${name} events appended to the outbox after the stimulus matched:${listed.join('')}${more}`;
  }
  const counts = new Map<string, number>();
  for (const event of arrived) counts.set(event.name, (counts.get(event.name) ?? 0) + 1);
  const others = [...counts].map(([other, count]) => `${other} ×${count}`).join(', ');
  return `${head}no ${name} was appended to the outbox after the stimulus (${others ? `other events were: ${others}` : 'nor any other event'}).`;
}

/**
 * A stimulus and what it should lead to, in the spirit of Spring Modulith's `Scenario`:
 * `scenario.stimulate(() => ...).andWaitForEvent(contract, (payload) => ...)` or `.andWaitForStateChange(() => ..., (value) => ...)`.
 * The stimulus runs when a wait is called; the timeout counts from its return.
 */
export class Scenario {
  constructor(
    private readonly outbox: OutboxReader,
    private readonly handedIn: ReadonlySet<string>,
    private readonly defaults: WaitOptions = {},
  ) {}

  stimulate<R>(stimulus: () => R | Promise<R>): Stimulus<R> {
    return new Stimulus(this.outbox, this.handedIn, { ...DEFAULTS, ...this.defaults }, stimulus);
  }
}

export class Stimulus<R> {
  constructor(
    private readonly outbox: OutboxReader,
    private readonly handedIn: ReadonlySet<string>,
    private readonly defaults: Required<WaitOptions>,
    private readonly stimulus: () => R | Promise<R>,
  ) {}

  /**
   * Runs the stimulus, then waits for an event of `contract` appended to the outbox after it began (not one handed in
   * by `deliver`) whose parsed payload `matching` accepts (given the stimulus's result too); resolves to that event.
   */
  async andWaitForEvent<C extends EventContractLike>(
    contract: C,
    matching?: (payload: z.output<C['payload']>, result: R) => boolean,
    options: WaitOptions = {},
  ): Promise<DomainEvent<z.output<C['payload']>>> {
    const { timeoutMs, pollMs } = { ...this.defaults, ...options };
    const before = await this.outbox.ids();
    const result = await this.stimulus();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const arrived = await this.outbox.except(new Set([...before, ...this.handedIn]));
      for (const event of arrived.filter((candidate) => candidate.name === contract.name)) {
        const parsed = contract.payload.safeParse(event.payload);
        const payload = parsed.data as z.output<C['payload']>;
        if (parsed.success && (!matching || matching(payload, result))) return { ...event, payload };
      }
      if (Date.now() >= deadline) throw new ScenarioTimeoutError(eventTimeoutMessage(contract, matching !== undefined, timeoutMs, arrived));
      await sleep(pollMs);
    }
  }

  /**
   * Runs the stimulus, then polls `supplier` (given the stimulus's result) until `accepted` holds for its value
   * (default: anything but undefined, null, false and an empty array); resolves to that value.
   */
  async andWaitForStateChange<T>(supplier: (result: R) => T | Promise<T>, accepted: (value: T) => boolean = isPresent, options: StateChangeOptions = {}): Promise<T> {
    const { timeoutMs, pollMs } = { ...this.defaults, ...options };
    const result = await this.stimulus();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await supplier(result);
      if (accepted(value)) return value;
      if (Date.now() >= deadline) {
        throw new ScenarioTimeoutError(`Timed out after ${timeoutMs} ms waiting for ${options.description ?? 'the state change'}: the last value seen was ${show(value)}.`);
      }
      await sleep(pollMs);
    }
  }
}

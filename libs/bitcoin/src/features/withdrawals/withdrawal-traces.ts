import { Injectable } from '@nestjs/common';
import { endSpan, SpanKind, type StartedSpan, startSpan, type TraceCarrier, withCorrelationId, withSpan, withTraceCarrier } from '@bitro/tracing';
import type { Withdrawal } from '../../generated/prisma/client';

type Traced = Pick<Withdrawal, 'id' | 'traceparent' | 'tracestate' | 'correlationId'>;

const carrierOf = (withdrawal: Traced): TraceCarrier => ({ traceparent: withdrawal.traceparent ?? undefined, tracestate: withdrawal.tracestate ?? undefined });

/**
 * Keeps each withdrawal in the trace of the request that asked for it, although it is paid later by the sender and
 * several withdrawals share one payout: a payout gets one span per withdrawal it pays, each in that withdrawal's trace,
 * and a withdrawal's events are appended in its own trace (inside its payout span while one runs).
 */
@Injectable()
export class WithdrawalTraces {
  private readonly payouts = new Map<string, StartedSpan>();

  async payout<T>(batch: readonly Traced[], work: () => Promise<T>): Promise<T> {
    for (const withdrawal of batch) {
      const span = startSpan('withdrawal payout', {
        kind: SpanKind.INTERNAL,
        parent: carrierOf(withdrawal),
        attributes: { 'bitro.withdrawal.id': withdrawal.id, 'bitro.payout.withdrawal_count': batch.length },
      });
      if (span) this.payouts.set(withdrawal.id, span);
    }
    const first = batch[0];
    let failure: unknown;
    try {
      return await (first ? this.inTraceOf(first, work) : work());
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      for (const withdrawal of batch) {
        endSpan(this.payouts.get(withdrawal.id), failure);
        this.payouts.delete(withdrawal.id);
      }
    }
  }

  /** Runs `work` in the withdrawal's trace and under its correlation id. */
  inTraceOf<T>(withdrawal: Traced, work: () => T): T {
    const span = this.payouts.get(withdrawal.id);
    return withCorrelationId(withdrawal.correlationId, () => (span ? withSpan(span, work) : withTraceCarrier(carrierOf(withdrawal), work)));
  }
}

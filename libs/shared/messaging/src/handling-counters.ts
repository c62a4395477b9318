import { defineCounter } from '@bitro/metrics';

/** What this process's consumers (and bridges) did with the deliveries they took, by consumer and event name. */
export const handlingCounters = {
  handled: defineCounter({
    name: 'bitro_events_handled_total',
    help: 'Deliveries a consumer handled (or found handled already), by consumer and event.',
    labelNames: ['consumer', 'event'],
  }),
  failed: defineCounter({
    name: 'bitro_events_failed_total',
    help: 'Handling attempts that threw (each retry counts), by consumer and event.',
    labelNames: ['consumer', 'event'],
  }),
  deadLettered: defineCounter({
    name: 'bitro_events_dead_lettered_total',
    help: 'Deliveries a consumer gave up on (dead-lettered after their last attempt), by consumer and event.',
    labelNames: ['consumer', 'event'],
  }),
};

import type { INestApplicationContext } from '@nestjs/common';
import { DeadLetterNotFoundError, DeadLetters } from './dead-letters';
import { MessagingMetrics } from './messaging-metrics';
import { Publications } from './publications';
import type { Command } from '@bitro/cli';

/** Lists the dead-lettered events and the messaging backlog. */
export const deadLettersCommand: Command = {
  name: 'events:dead-letters',
  usage: 'events:dead-letters   (events a consumer gave up on, with the last error; and the outbox backlog)',
  async run(app: INestApplicationContext): Promise<number> {
    const [letters, metrics] = await Promise.all([app.get(DeadLetters).list(), app.get(MessagingMetrics).snapshot()]);
    console.log(JSON.stringify({ metrics, deadLetters: letters }, null, 2));
    return 0;
  },
};

/** The backbone's figures: per consumer, incomplete publications and the oldest one's age, redeliveries, dead letters. */
export const statusCommand: Command = {
  name: 'events:status',
  usage: 'events:status   (per consumer: incomplete deliveries, the oldest one\'s age, redelivered, dead letters; the outbox backlog)',
  async run(app: INestApplicationContext): Promise<number> {
    const [consumers, outbox] = await Promise.all([app.get(Publications).status(), app.get(MessagingMetrics).snapshot()]);
    console.log(JSON.stringify({ outbox, consumers }, null, 2));
    return 0;
  },
};

/** Re-enqueues dead-lettered events once their cause is fixed. */
export const resubmitCommand: Command = {
  name: 'events:resubmit',
  usage: 'events:resubmit <dead-letter id>... | --all',
  async run(app: INestApplicationContext, argv: string[]): Promise<number> {
    const deadLetters = app.get(DeadLetters);
    if (argv.length === 0) {
      console.error(`Usage: ${this.usage}`);
      return 2;
    }
    if (argv.includes('--all')) {
      console.log(`Resubmitted ${await deadLetters.resubmitAll()} dead letter(s).`);
      return 0;
    }
    let failed = 0;
    for (const id of argv) {
      try {
        await deadLetters.resubmit(id);
        console.log(`Resubmitted ${id}.`);
      } catch (error) {
        if (!(error instanceof DeadLetterNotFoundError)) throw error;
        console.error(error.message);
        failed += 1;
      }
    }
    return failed === 0 ? 0 : 1;
  },
};

/** The operator commands of messaging, for every app that runs it. */
export const EVENTS_COMMANDS: readonly Command[] = [deadLettersCommand, statusCommand, resubmitCommand];

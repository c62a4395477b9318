import { Controller, Param } from '@nestjs/common';
import { type ParamsOf, ProblemException, Route } from '@bitro/http';
import { DeadLetterNotFoundError, DeadLetters } from '@bitro/messaging';
import { listDeadLettersRoute, resubmitDeadLetterRoute } from './dead-letter.contracts';

/** Operators' view of the events consumers gave up on (the REST twin of `npm run events:dead-letters` / `events:resubmit`). */
@Controller()
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetters) {}

  @Route(listDeadLettersRoute)
  async list() {
    return { items: await this.deadLetters.list() };
  }

  @Route(resubmitDeadLetterRoute)
  async resubmit(@Param() params: ParamsOf<typeof resubmitDeadLetterRoute>) {
    try {
      await this.deadLetters.resubmit(params.id);
    } catch (error) {
      if (error instanceof DeadLetterNotFoundError) throw new ProblemException(404, 'dead-letter-not-found', error.message);
      throw error;
    }
    return { id: params.id, resubmitted: true as const };
  }
}

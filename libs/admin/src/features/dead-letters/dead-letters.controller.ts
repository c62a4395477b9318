import { Controller, Inject, Param } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type ParamsOf, ProblemException, Route } from '@bitro/http';
import { DeadLetterNotFoundError, DeadLetters } from '@bitro/messaging';
import { AUDIT_API, type AuditApi } from '@bitro/service-api';
import { listDeadLettersRoute, resubmitDeadLetterRoute } from './dead-letters.contracts';

/** Operators' view of the events consumers gave up on (the REST twin of `npm run events:dead-letters` / `events:resubmit`). */
@Controller()
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLetters,
    @Inject(AUDIT_API) private readonly audit: AuditApi,
  ) {}

  @Route(listDeadLettersRoute)
  async list() {
    return { items: await this.deadLetters.list() };
  }

  @Route(resubmitDeadLetterRoute)
  async resubmit(@Param() params: ParamsOf<typeof resubmitDeadLetterRoute>, @Principal() admin: AccessClaims) {
    try {
      await this.deadLetters.resubmit(params.id);
    } catch (error) {
      if (error instanceof DeadLetterNotFoundError) throw new ProblemException(404, 'dead-letter-not-found', error.message);
      throw error;
    }
    await this.audit.record(undefined, { action: 'events.resubmit', actorId: admin.sub, subject: `dead-letter:${params.id}`, idempotencyKey: `events.resubmit:${params.id}` });
    return { id: params.id, resubmitted: true as const };
  }
}

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { type AccessClaims, ADMIN_STANDING, type AdminStanding, AccessTokens, assertAdmin, SessionRevocations } from '@bitro/auth';
import { ProblemException, sendProblem } from '@bitro/http';
import { QueueCatalogue } from '@bitro/messaging';
import { AUDIT_API, type AuditApi } from '@bitro/service-api';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'bitro_queue_dashboard';

/** The only changes the dashboard may make: retrying failed jobs (one, or all of a queue). Each is audited. */
const RETRY = /^\/api\/queues\/([^/]+)\/(?:([^/]+)\/retry|retry\/failed)$/;

/**
 * The BullMQ dashboard (bull-board) at /admin/queues, for admins only: a bearer access token, or — so that a browser can
 * open it — `?access_token=<admin token>` once, kept in an HttpOnly cookie scoped to the dashboard for at most an
 * access token's lifetime. It is read-only but for retrying failed jobs: nobody adds, edits, promotes or removes a job
 * here (and a job nobody committed would be refused by its consumer anyway, ADR 15). Every retry is in the audit trail.
 */
export async function mountQueueDashboard(app: NestFastifyApplication, cookieMaxAgeSeconds: number): Promise<void> {
  const tokens = app.get(AccessTokens);
  const standing = app.get<AdminStanding>(ADMIN_STANDING);
  const revocations = app.get(SessionRevocations);
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  const audit = app.get<AuditApi>(AUDIT_API);
  const queues = app.get(QueueCatalogue).all();
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true, allowRetries: true })), serverAdapter });
  const queuesByName = new Map(queues.map((queue) => [queue.name, queue]));
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        const claims = await admitAdmin({ tokens, standing, revocations }, cookieMaxAgeSeconds, request, reply);
        if (claims && !reply.sent) await onlyAuditedRetries(audit, queuesByName, claims, request, reply);
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: QUEUE_DASHBOARD_PATH },
  );
}

/** The admin's claims, or undefined once it has answered (refused, or redirected after taking the token from the URL). */
async function admitAdmin(
  { tokens, standing, revocations }: { tokens: AccessTokens; standing: AdminStanding; revocations: SessionRevocations },
  cookieMaxAgeSeconds: number,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<AccessClaims | undefined> {
  const url = new URL(request.url, 'http://dashboard');
  const fromQuery = url.searchParams.get('access_token');
  const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const fromCookie = /(?:^|;\s*)bitro_queue_dashboard=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
  const token = fromQuery ?? bearer ?? fromCookie;
  const refuse = (status: number, code: string, detail: string) => sendProblem(new ProblemException(status, code, detail), request, reply);
  if (!token) {
    refuse(401, 'unauthenticated', 'Send an admin access token: `Authorization: Bearer <token>`, or `?access_token=<token>` once.');
    return undefined;
  }
  let claims: AccessClaims;
  try {
    claims = tokens.verify(token);
  } catch (error) {
    refuse(401, 'invalid-token', `The ${(error as Error).message}.`);
    return undefined;
  }
  if (await revocations.isRevoked(claims.sid)) {
    refuse(401, 'invalid-token', 'The session of this access token has ended; sign in again.');
    return undefined;
  }
  try {
    await assertAdmin(claims, standing);
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    sendProblem(error, request, reply);
    return undefined;
  }
  if (fromQuery) {
    url.searchParams.delete('access_token');
    // No longer than an access token lives; the token inside is verified on every request anyway.
    // Secure when served over HTTPS: directly, or behind a TRUST_PROXY proxy saying so in X-Forwarded-Proto.
    const secure = request.protocol === 'https' ? '; Secure' : '';
    reply.header('set-cookie', `${COOKIE}=${token}; Path=${QUEUE_DASHBOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${cookieMaxAgeSeconds}${secure}`);
    await reply.redirect(`${url.pathname}${url.search}`, 303);
    return undefined;
  }
  return claims;
}

/**
 * Reads pass to the dashboard. A retry of failed jobs is recorded in the audit trail and done here (bull-board's
 * read-only mode refuses it); any other change is refused.
 */
async function onlyAuditedRetries(audit: AuditApi, queues: ReadonlyMap<string, Queue>, claims: AccessClaims, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const path = new URL(request.url, 'http://dashboard').pathname.slice(QUEUE_DASHBOARD_PATH.length);
  const retry = request.method === 'PUT' ? RETRY.exec(path) : null;
  const queue = retry ? queues.get(decodeURIComponent(retry[1] ?? '')) : undefined;
  if (!retry || !queue) {
    sendProblem(new ProblemException(403, 'dashboard-read-only', 'The queue dashboard is read-only: it can only retry failed jobs.'), request, reply);
    return;
  }
  const jobId = retry[2] === undefined ? undefined : decodeURIComponent(retry[2]);
  await audit.record(undefined, { action: 'queue.retry', actorId: claims.sub, subject: jobId ? `queue:${queue.name}/job:${jobId}` : `queue:${queue.name}/failed` });
  if (jobId) {
    const job = await queue.getJob(jobId);
    if (!job || (await job.getState()) !== 'failed') {
      sendProblem(new ProblemException(409, 'job-not-failed', `Job ${jobId} of ${queue.name} has not failed: there is nothing to retry.`), request, reply);
      return;
    }
    await job.retry('failed');
  } else {
    await queue.retryJobs({ state: 'failed' });
  }
  await reply.status(204).send();
}

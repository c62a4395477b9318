import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { type AccessClaims, ADMIN_STANDING, type AdminStanding, AccessTokens, assertAdmin } from '@bitro/auth';
import { ProblemException, sendProblem } from '@bitro/http';
import { QueueCatalogue } from '@bitro/messaging';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'bitro_queue_dashboard';

/**
 * The BullMQ dashboard (bull-board) at /admin/queues, for admins only: a bearer access token, or — so that a browser can
 * open it — `?access_token=<admin token>` once, kept in an HttpOnly cookie scoped to the dashboard for at most an
 * access token's lifetime.
 */
export async function mountQueueDashboard(app: NestFastifyApplication, cookieMaxAgeSeconds: number): Promise<void> {
  const tokens = app.get(AccessTokens);
  const standing = app.get<AdminStanding>(ADMIN_STANDING);
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: app.get(QueueCatalogue).all().map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })), serverAdapter });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', (request, reply) => admitAdmin(tokens, standing, cookieMaxAgeSeconds, request, reply));
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: QUEUE_DASHBOARD_PATH },
  );
}

async function admitAdmin(tokens: AccessTokens, standing: AdminStanding, cookieMaxAgeSeconds: number, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const url = new URL(request.url, 'http://dashboard');
  const fromQuery = url.searchParams.get('access_token');
  const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const fromCookie = /(?:^|;\s*)bitro_queue_dashboard=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
  const token = fromQuery ?? bearer ?? fromCookie;
  const refuse = (status: number, code: string, detail: string) => sendProblem(new ProblemException(status, code, detail), request, reply);
  if (!token) return refuse(401, 'unauthenticated', 'Send an admin access token: `Authorization: Bearer <token>`, or `?access_token=<token>` once.');
  let claims: AccessClaims;
  try {
    claims = tokens.verify(token);
  } catch (error) {
    return refuse(401, 'invalid-token', `The ${(error as Error).message}.`);
  }
  try {
    await assertAdmin(claims, standing);
  } catch (error) {
    if (error instanceof ProblemException) return sendProblem(error, request, reply);
    throw error;
  }
  if (fromQuery) {
    url.searchParams.delete('access_token');
    // No longer than an access token lives; the token inside is verified on every request anyway.
    // Secure when served over HTTPS: directly, or behind a TRUST_PROXY proxy saying so in X-Forwarded-Proto.
    const secure = request.protocol === 'https' ? '; Secure' : '';
    reply.header('set-cookie', `${COOKIE}=${token}; Path=${QUEUE_DASHBOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${cookieMaxAgeSeconds}${secure}`);
    await reply.redirect(`${url.pathname}${url.search}`, 303);
  }
}

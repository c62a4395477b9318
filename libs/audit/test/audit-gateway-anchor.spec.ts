import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { publishAnchorRoute, verifyRequest } from '@bitro/gateway-contract';
import { AUDIT_API, type AuditApi } from '@bitro/service-api';
import type { ModuleTest } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorPayload } from '../src';
import { InclusionProofs } from '../src/features/verify/inclusion-proofs';
import { adminAction, BACKGROUND_WAIT, startAuditModule } from './audit-module-test';

const SECRET = 'audit-anchor-spec-hmac-secret-0123456789';

/** bitcoin-gateway's anchor route as the adapter sees it: signature checked, 503 while `unavailable`. */
class FakeGateway {
  unavailable = true;
  readonly requests: { reference: string; dataHex: string; signed: boolean }[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const signed = verifyRequest({ method: req.method ?? '', path: req.url ?? '', body, headers: req.headers, secret: SECRET }).ok;
        const { reference, dataHex } = JSON.parse(body) as { reference: string; dataHex: string };
        this.requests.push({ reference, dataHex, signed });
        const answer = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        if (req.url !== publishAnchorRoute.path || !signed) return answer(401, { type: 'about:blank', status: 401 });
        if (this.unavailable) return answer(503, { type: 'https://bitro.dev/problems/gateway-busy', status: 503, detail: 'a payout awaits its broadcast' });
        answer(200, { reference, txid: createHash('sha256').update(reference).digest('hex'), status: 'broadcast' });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('AUDIT_ANCHOR=gateway', () => {
  const gateway = new FakeGateway();
  let mod: ModuleTest;
  let audit: AuditApi;

  beforeAll(async () => {
    const url = await gateway.start();
    mod = await startAuditModule({
      env: {
        BITRO_ROLES: 'http,worker,scheduler',
        OUTBOX_RELAY_INTERVAL_MS: '50',
        EVENT_BACKOFF_MS: '50',
        EVENT_MAX_ATTEMPTS: '2',
        AUDIT_BLOCK_MAX_RECORDS: '1',
        AUDIT_BLOCK_INTERVAL_MS: '200',
        AUDIT_ANCHOR: 'gateway',
        GATEWAY_URL: url,
        GATEWAY_HMAC_SECRET: SECRET,
      },
    });
    audit = mod.get<AuditApi>(AUDIT_API);
  });
  afterAll(async () => {
    await mod?.close();
    await gateway.close();
  });

  const blockRoot = async (height: number) =>
    (await mod.pool.query<{ root: string }>('SELECT merkle_root AS root FROM "audit"."blocks" WHERE height = $1', [height])).rows[0]?.root;

  it('retries a block the gateway cannot anchor, then leaves it in the dead letters; sealing goes on', async () => {
    await mod
      .scenario(BACKGROUND_WAIT)
      .stimulate(() => audit.record(undefined, adminAction()))
      .andWaitForStateChange(
        async () => (await mod.pool.query(`SELECT attempts FROM "messaging"."dead_letters" WHERE consumer = 'audit' AND event_name = 'audit.block-sealed.v1'`)).rowCount,
        (deadLetters) => deadLetters === 1,
        { description: 'the block-sealed event to be dead-lettered' },
      );
    expect(gateway.requests.filter((r) => r.reference === 'audit-block:0')).toHaveLength(2);
    expect(gateway.requests.every((r) => r.signed)).toBe(true);
    expect((await mod.pool.query('SELECT 1 FROM "audit"."anchors"')).rowCount).toBe(0);

    gateway.unavailable = false;
    const anchored = await mod
      .scenario(BACKGROUND_WAIT)
      .stimulate(() => audit.record(undefined, adminAction()))
      .andWaitForStateChange(async (recorded) => ({ recorded, anchors: (await mod.pool.query('SELECT 1 FROM "audit"."anchors"')).rowCount }), ({ anchors }) => anchors === 1, {
        description: 'the next block to be anchored',
      });
    const { id } = anchored.recorded;
    const request = gateway.requests.find((r) => r.reference === 'audit-block:1');
    expect(request?.dataHex).toBe(anchorPayload(1n, (await blockRoot(1)) as string));

    const proof = await mod.get(InclusionProofs).proof(id);
    expect(proof?.block).toMatchObject({ height: '1' });
    expect(proof?.block.anchors).toEqual([
      { adapter: 'gateway', reference: createHash('sha256').update('audit-block:1').digest('hex'), anchoredAt: expect.any(String) },
    ]);
  });
});

import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '@bitro/config';
import { offlineTestEnv } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpIssuer } from './http-issuer.adapter';
import { ISSUER, type IssuerPort } from './issuer.port';
import { issuerProvider } from './issuer.provider';
import { SANDBOX_PINS, SandboxIssuer } from './sandbox-issuer.adapter';
import { createIssuerServer } from './sandbox-issuer.server';

const server = createIssuerServer({ apiKey: 'provider-test-key' });
let issuerUrl: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function issuerFrom(variables: Record<string, string>): Promise<IssuerPort> {
  const env = offlineTestEnv(variables);
  const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(env)], providers: [issuerProvider] }).compile();
  return moduleRef.get<IssuerPort>(ISSUER);
}

describe('issuerProvider', () => {
  it('provides the sandbox by default', async () => {
    const issuer = await issuerFrom({});
    expect(issuer).toBeInstanceOf(SandboxIssuer);
    expect(await issuer.verify({ brand: 'b', pin: SANDBOX_PINS.valid10k })).toEqual({ status: 'valid', faceValueKrw: 10_000n });
  });

  it('provides the HTTP issuer at ISSUER_URL with ISSUER_API_KEY when ISSUER=http', async () => {
    const issuer = await issuerFrom({ ISSUER: 'http', ISSUER_URL: issuerUrl, ISSUER_API_KEY: 'provider-test-key', ISSUER_TIMEOUT_MS: '1000' });
    expect(issuer).toBeInstanceOf(HttpIssuer);
    expect(await issuer.redeem({ brand: 'b', pin: SANDBOX_PINS.valid50k, reference: 'p-1' })).toEqual({ status: 'redeemed', faceValueKrw: 50_000n });
    expect(server.controls.sandbox.usedByReference(SANDBOX_PINS.valid50k)).toBe('p-1');
  });
});

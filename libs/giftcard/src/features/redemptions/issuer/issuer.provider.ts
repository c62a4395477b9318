import { type FactoryProvider, Logger } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { HttpIssuer } from './http-issuer.adapter';
import { ISSUER, type IssuerPort } from './issuer.port';
import { SandboxIssuer } from './sandbox-issuer.adapter';

type IssuerEnv = Pick<BitroEnv, 'NODE_ENV' | 'ISSUER' | 'ISSUER_URL' | 'ISSUER_API_KEY' | 'ISSUER_TIMEOUT_MS'>;

/** The issuer `ISSUER` names: `sandbox` (in-process, documented test PINs) or `http` (ISSUER_URL, PROTOCOL.md). */
export function createIssuer(env: IssuerEnv): IssuerPort {
  if (env.ISSUER === 'http') {
    if (!env.ISSUER_URL) throw new Error('ISSUER_URL is required when ISSUER=http');
    return new HttpIssuer({ baseUrl: env.ISSUER_URL, apiKey: env.ISSUER_API_KEY, timeoutMs: env.ISSUER_TIMEOUT_MS });
  }
  if (env.NODE_ENV === 'production') {
    new Logger('issuer').warn('ISSUER=sandbox in production: the sandbox test PINs are taken as real gift cards');
  }
  return new SandboxIssuer();
}

export const issuerProvider: FactoryProvider<IssuerPort> = {
  provide: ISSUER,
  inject: [BITRO_ENV],
  useFactory: createIssuer,
};

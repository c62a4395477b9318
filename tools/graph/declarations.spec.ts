import { describe, expect, it } from 'vitest';
import { checkDeclarations, countDeclarations } from './declarations.mjs';

const known = { tokens: new Set(['USER_API', 'AUDIT_API', 'WALLET_API']), events: new Set(['wallet.credited.v1', 'giftcard.redemption-approved.v1']) };
const domain = (name: string, bitro?: { injects?: unknown; consumes?: unknown }) => ({ name, tags: ['type:domain', 'scope:bitro'], bitro, projectJson: `libs/${name}/project.json` });
const uses = (injects: string[], consumes: string[]) => ({
  injects: injects.map((token, i) => ({ token, file: 'libs/x/src/a.ts', line: i + 1 })),
  consumes: consumes.map((event, i) => ({ event, file: 'libs/x/src/events/x.consumer.ts', line: i + 10 })),
});

describe('checkDeclarations', () => {
  it('accepts declarations that are exactly what the code injects and consumes', () => {
    const projects = [domain('giftcard', { injects: ['AUDIT_API', 'USER_API'], consumes: ['wallet.credited.v1'] }), domain('image', { injects: [], consumes: [] })];
    const facts = new Map([
      ['giftcard', uses(['USER_API', 'AUDIT_API', 'USER_API'], ['wallet.credited.v1'])],
      ['image', uses([], [])],
    ]);
    expect(checkDeclarations(projects, facts, known)).toEqual([]);
    expect(countDeclarations(projects)).toBe(3);
  });

  it('fails a token injected or an event consumed without a declaration, naming where', () => {
    const problems = checkDeclarations([domain('giftcard', { injects: ['USER_API'], consumes: [] })], new Map([['giftcard', uses(['USER_API', 'WALLET_API'], ['wallet.credited.v1'])]]), known);
    expect(problems).toEqual([
      'giftcard: injects WALLET_API (libs/x/src/a.ts:2) but libs/giftcard/project.json metadata.bitro.injects does not declare it',
      'giftcard: consumes wallet.credited.v1 (libs/x/src/events/x.consumer.ts:10) but libs/giftcard/project.json metadata.bitro.consumes does not declare it',
    ]);
  });

  it('fails a declaration the code does not use (the boundary is exact), and names that are no contract', () => {
    const problems = checkDeclarations(
      [domain('giftcard', { injects: ['USER_API', 'AUDIT_API', 'NOPE_API'], consumes: ['giftcard.redemption-approved.v1', 'wallet.gone.v1'] })],
      new Map([['giftcard', uses(['USER_API'], [])]]),
      known,
    );
    expect(problems).toEqual([
      'giftcard: libs/giftcard/project.json metadata.bitro.injects declares AUDIT_API, which its code never injects: remove it',
      'giftcard: libs/giftcard/project.json metadata.bitro.injects declares NOPE_API, which is no token of the contract libraries',
      'giftcard: libs/giftcard/project.json metadata.bitro.consumes declares giftcard.redemption-approved.v1, which its code never consumes: remove it',
      'giftcard: libs/giftcard/project.json metadata.bitro.consumes declares wallet.gone.v1, which is no event of the contract libraries',
    ]);
  });

  it('requires metadata.bitro of a domain library (not of an app that uses nothing), well formed', () => {
    const app = { name: 'gateway', tags: ['type:app'], bitro: undefined, projectJson: 'apps/gateway/project.json' };
    expect(checkDeclarations([app], new Map([['gateway', uses([], [])]]), known)).toEqual([]);
    expect(checkDeclarations([domain('audit')], new Map([['audit', uses([], [])]]), known)).toEqual([
      'audit: libs/audit/project.json has no metadata.bitro (a domain declares { "injects": [...], "consumes": [...] }, empty lists included)',
    ]);
    expect(checkDeclarations([domain('audit', { injects: 'AUDIT_API', consumes: ['wallet.credited.v1', 'wallet.credited.v1'] })], new Map([['audit', uses([], ['wallet.credited.v1'])]]), known)).toEqual([
      'audit: libs/audit/project.json metadata.bitro.injects must be an array of names',
      'audit: libs/audit/project.json metadata.bitro.consumes lists a name twice',
    ]);
    // an app that injects is held to the same rule
    expect(checkDeclarations([app], new Map([['gateway', uses(['USER_API'], [])]]), known)).toEqual([
      'gateway: injects USER_API (libs/x/src/a.ts:1) but apps/gateway/project.json metadata.bitro.injects does not declare it',
    ]);
  });
});

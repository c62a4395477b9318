import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { AccessTokens, InvalidAccessTokenError } from './access-token';

const secret = 's'.repeat(40);

describe('AccessTokens', () => {
  it('round-trips the claims', () => {
    const tokens = new AccessTokens(secret, 60);
    const claims = tokens.verify(tokens.sign({ sub: 'u1', role: 'admin', sid: 'f1' }));
    expect(claims).toMatchObject({ sub: 'u1', role: 'admin', sid: 'f1' });
  });

  it('rejects a token signed with another secret, an expired token and alg=none', () => {
    const tokens = new AccessTokens(secret, 60);
    const foreign = new AccessTokens('o'.repeat(40), 60).sign({ sub: 'u1', role: 'user', sid: 'f1' });
    expect(() => tokens.verify(foreign)).toThrow(InvalidAccessTokenError);

    const expired = jwt.sign({ sub: 'u1', role: 'user', sid: 'f1', exp: Math.floor(Date.now() / 1000) - 10 }, secret, {
      issuer: 'bitro',
      audience: 'bitro-api',
    });
    expect(() => tokens.verify(expired)).toThrow('access token expired');

    const unsigned = jwt.sign({ sub: 'u1', role: 'admin', sid: 'f1' }, '', { algorithm: 'none', issuer: 'bitro', audience: 'bitro-api' });
    expect(() => tokens.verify(unsigned)).toThrow(InvalidAccessTokenError);
  });

  it('refuses a token from its exp on, also one it has verified before', async () => {
    const tokens = new AccessTokens(secret, 60);
    const shortLived = jwt.sign({ sub: 'u1', role: 'user', sid: 'f1', exp: Math.floor(Date.now() / 1000) + 1 }, secret, { issuer: 'bitro', audience: 'bitro-api' });
    expect(tokens.verify(shortLived)).toEqual({ sub: 'u1', role: 'user', sid: 'f1' });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(() => tokens.verify(shortLived)).toThrow('access token expired');
  });

  it('answers only a byte-identical token from what it verified before', () => {
    const tokens = new AccessTokens(secret, 60);
    const genuine = tokens.sign({ sub: 'u1', role: 'user', sid: 'f1' });
    const first = tokens.verify(genuine);
    expect(tokens.verify(genuine)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const [header, payload, signature] = genuine.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' })).toString('base64url');
    expect(() => tokens.verify(`${header}.${forgedPayload}.${signature}`)).toThrow(InvalidAccessTokenError);
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(() => tokens.verify(`${header}.${payload}.${flipped}`)).toThrow(InvalidAccessTokenError);
  });

  it('refuses a correctly signed token without exp (it would never expire)', () => {
    const tokens = new AccessTokens(secret, 60);
    const eternal = jwt.sign({ sub: 'u1', role: 'user', sid: 'f1' }, secret, { algorithm: 'HS256', issuer: 'bitro', audience: 'bitro-api' });
    expect(() => tokens.verify(eternal)).toThrow(InvalidAccessTokenError);
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it.each([
    ['/admin/queues?access_token=eyJ.abc.def', '/admin/queues?access_token=[redacted]'],
    ['/x?token=t&code=123456&page=2', '/x?token=[redacted]&code=[redacted]&page=2'],
    ['/x?client_secret=s&newPassword=p&api_key=k&sig=v', '/x?client_secret=[redacted]&newPassword=[redacted]&api_key=[redacted]&sig=[redacted]'],
    ['/x?refresh%5Ftoken=t&Session=s&q=abc', '/x?refresh%5Ftoken=[redacted]&Session=[redacted]&q=abc'],
    ['/x?kind=deposit&cursor=abc&flag&=v', '/x?kind=deposit&cursor=abc&flag&=v'],
    ['/x?bad=%ZZ&password=%ZZ', '/x?bad=%ZZ&password=[redacted]'],
    ['/no-query', '/no-query'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('applies to the request URL of every log line', () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _encoding, done) => done(void lines.push(chunk.toString())) }));
    logger.info({ req: { method: 'GET', url: '/admin/queues?access_token=secret-value&x=1', ip: '10.0.0.1' } }, 'incoming request');
    expect(lines.join('')).not.toContain('secret-value');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ req: { method: 'GET', url: '/admin/queues?access_token=[redacted]&x=1', remoteAddress: '10.0.0.1' } });
  });
});

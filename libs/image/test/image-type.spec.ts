import { describe, expect, it } from 'vitest';
import { detectImageType } from '../src/features/processing/image-type';
import { testImage } from './test-image';

describe('detectImageType', () => {
  it.each(['png', 'jpeg', 'webp'] as const)('recognises %s by its bytes', async (format) => {
    expect(detectImageType(await testImage(4, 4, format))).toEqual({ accepted: true, format, contentType: `image/${format}` });
  });

  it.each([
    ['text', Buffer.from('just some text\nwith lines\n'), 'text/plain'],
    ['UTF-8 text', Buffer.from('브랜드 로고 '.repeat(200)), 'text/plain'],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1'), 'image/gif'],
    ['an SVG', Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'image/svg+xml'],
    ['a PDF', Buffer.from('%PDF-1.7\n'), 'application/pdf'],
    ['a RIFF that is not WebP', Buffer.from('RIFF\x00\x00\x00\x00WAVEfmt ', 'latin1'), 'application/octet-stream'],
    ['binary noise', Buffer.from([0x00, 0x01, 0x02, 0xfe, 0x99]), 'application/octet-stream'],
    ['nothing', Buffer.alloc(0), 'empty'],
  ])('refuses %s, naming it', (_, bytes, contentType) => {
    expect(detectImageType(bytes)).toEqual({ accepted: false, contentType });
  });
});

/** The image formats an upload may be in, by the format name sharp uses. */
export type AcceptedFormat = 'png' | 'jpeg' | 'webp';

export const CONTENT_TYPES: Record<AcceptedFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

export type DetectedType = { accepted: true; format: AcceptedFormat; contentType: string } | { accepted: false; contentType: string };

const startsWith = (bytes: Uint8Array, signature: ReadonlyArray<number>, at = 0): boolean =>
  bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const ACCEPTED: ReadonlyArray<{ format: AcceptedFormat; matches: (b: Uint8Array) => boolean }> = [
  { format: 'png', matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { format: 'jpeg', matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { format: 'webp', matches: (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8) },
];

// Only to name what was refused in the answer; none of these is accepted.
const REFUSED: ReadonlyArray<{ contentType: string; matches: (b: Uint8Array) => boolean }> = [
  { contentType: 'image/gif', matches: (b) => startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a')) },
  { contentType: 'image/bmp', matches: (b) => startsWith(b, ascii('BM')) },
  { contentType: 'image/tiff', matches: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) },
  { contentType: 'image/avif-or-heif', matches: (b) => startsWith(b, ascii('ftyp'), 4) },
  { contentType: 'application/pdf', matches: (b) => startsWith(b, ascii('%PDF-')) },
  { contentType: 'application/zip', matches: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) },
  { contentType: 'image/svg+xml', matches: (b) => /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/i.test(new TextDecoder().decode(b.subarray(0, 512))) },
  { contentType: 'text/plain', matches: isText },
];

function isText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 1024);
  if (sample.length === 0) return false;
  try {
    // `stream` tolerates a character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    return false;
  }
  return !sample.some((byte) => byte < 0x09 || (byte > 0x0d && byte < 0x20));
}

/** The type of `bytes` from their leading signature ("magic bytes"), whatever a file name or header claims. */
export function detectImageType(bytes: Uint8Array): DetectedType {
  const accepted = ACCEPTED.find((candidate) => candidate.matches(bytes));
  if (accepted) return { accepted: true, format: accepted.format, contentType: CONTENT_TYPES[accepted.format] };
  if (bytes.length === 0) return { accepted: false, contentType: 'empty' };
  return { accepted: false, contentType: REFUSED.find((candidate) => candidate.matches(bytes))?.contentType ?? 'application/octet-stream' };
}

import sharp from 'sharp';

/** A `width`×`height` image in `format`, one colour (so that even a large one is a small file). */
export function testImage(width: number, height: number, format: 'png' | 'jpeg' | 'webp'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } }).toFormat(format).toBuffer();
}

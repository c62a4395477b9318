import { describe, expect, it } from 'vitest';
import { renderVariants, variantWidths } from '../src/features/processing/image-variants';
import { testImage } from './test-image';

describe('image variants', () => {
  it('renders each width up to the image, never wider', () => {
    expect(variantWidths(2000)).toEqual([64, 256, 512]);
    expect(variantWidths(300)).toEqual([64, 256]);
    expect(variantWidths(50)).toEqual([50]);
  });

  it('refuses to decode more pixels than the limit, whatever was checked before (decompression-bomb guard)', async () => {
    const image = await testImage(1000, 1000, 'png');
    await expect(renderVariants(image, 'png', 1000, { maxPixels: 999_999, maxSide: 10_000 })).rejects.toThrow(/pixel limit/);
    await expect(renderVariants(image, 'png', 1000, { maxPixels: 1_000_000, maxSide: 10_000 })).resolves.toHaveLength(6);
  });
});

import type Sharp from 'sharp';
import { type AcceptedFormat, CONTENT_TYPES } from './image-type';

/** Widths of the variants made of every upload (an image narrower than one is not enlarged). */
export const VARIANT_WIDTHS = [64, 256, 512] as const;

export interface ImageLimits {
  maxPixels: number;
  maxSide: number;
}

export interface RenderedVariant {
  /** e.g. `256w.webp` */
  name: string;
  format: AcceptedFormat;
  contentType: string;
  width: number;
  height: number;
  data: Buffer;
}

export type Inspection = { ok: true; width: number; height: number } | { ok: false; reason: string };

// sharp loads libvips and starts its thread pool (some 10 MB resident): loaded on the first upload, not at start.
let loadedSharp: Promise<typeof Sharp> | undefined;
const loadSharp = () => (loadedSharp ??= import('sharp').then((module) => module.default));

// sharp refuses to decode more pixels than this (a decompression bomb), whatever the header claims.
const sharpOf = (sharp: typeof Sharp, bytes: Buffer, limits: ImageLimits) => sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error' });

/** The image's dimensions from its header, checked against the limits. */
export async function inspectImage(bytes: Buffer, limits: ImageLimits): Promise<Inspection> {
  // Reading the header decodes no pixels; the limits are checked here to name them, and enforced again by sharp when decoding.
  const sharp = await loadSharp();
  const metadata = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => new Error(`The image cannot be read (${(error as Error).message}).`));
  if (metadata instanceof Error) return { ok: false, reason: metadata.message };
  const { width, height } = metadata.autoOrient;
  if (!width || !height) return { ok: false, reason: 'The image has no dimensions.' };
  if (width > limits.maxSide || height > limits.maxSide) return { ok: false, reason: `The image is ${width}×${height}; neither side may exceed ${limits.maxSide} pixels.` };
  if (width * height > limits.maxPixels) return { ok: false, reason: `The image has ${width * height} pixels; at most ${limits.maxPixels} are accepted.` };
  return { ok: true, width, height };
}

/** The formats variants are made in: WebP, and the upload's own format. */
export const variantFormats = (source: AcceptedFormat): AcceptedFormat[] => [...new Set<AcceptedFormat>(['webp', source])];

/** The widths to render for an image `width` pixels wide: each of {@link VARIANT_WIDTHS} up to it, or the image's own. */
export function variantWidths(width: number): number[] {
  const widths = VARIANT_WIDTHS.filter((w) => w <= width);
  return widths.length > 0 ? widths : [width];
}

/**
 * Resized copies of a checked image, upright (EXIF orientation applied) and without its metadata (no camera or
 * location data leaves the server). Throws when the image cannot be decoded.
 */
export async function renderVariants(bytes: Buffer, source: AcceptedFormat, width: number, limits: ImageLimits): Promise<RenderedVariant[]> {
  const sharp = await loadSharp();
  const variants: RenderedVariant[] = [];
  for (const targetWidth of variantWidths(width)) {
    for (const format of variantFormats(source)) {
      const pipeline = sharpOf(sharp, bytes, limits).autoOrient().resize({ width: targetWidth, withoutEnlargement: true });
      const encoded = format === 'webp' ? pipeline.webp({ quality: 82 }) : format === 'png' ? pipeline.png({ compressionLevel: 9 }) : pipeline.jpeg({ quality: 85, mozjpeg: true });
      const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
      variants.push({ name: `${targetWidth}w.${extensionOf(format)}`, format, contentType: CONTENT_TYPES[format], width: info.width, height: info.height, data });
    }
  }
  return variants;
}

export const extensionOf = (format: AcceptedFormat): string => (format === 'jpeg' ? 'jpg' : format);

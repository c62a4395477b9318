import { Module } from '@nestjs/common';
import { ImageHttp } from './http/image-http';
import { ImageController } from './http/image.controller';
import { ImagePrisma } from './persistence/image-prisma';
import { ImageStore } from './storage/image-store';
import { BrandImages } from './uploads/brand-images';

/**
 * The image domain: gift-card brand images uploaded by admins, checked by their content, stored as resized
 * variants under IMAGE_DIR (served at /images/ by nginx, or by bitro-api itself when SERVE_IMAGES).
 * Registers @fastify/multipart on the HTTP server for its upload route.
 */
@Module({
  controllers: [ImageController],
  providers: [ImagePrisma, ImageStore, BrandImages, ImageHttp],
})
export class ImageModule {}

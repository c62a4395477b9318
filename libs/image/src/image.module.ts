import { Module } from '@nestjs/common';
import { BrandImages } from './features/brand-images/brand-images';
import { BrandImagesAdminController } from './features/brand-images/brand-images-admin.controller';
import { BrandImagesController } from './features/brand-images/brand-images.controller';
import { ImageHttp } from './features/storage/image-http';
import { ImageStore } from './features/storage/image-store';
import { ImagePrisma } from './persistence/image-prisma';

/**
 * The image domain: gift-card brand images uploaded by admins, checked by their content, stored as resized
 * variants under IMAGE_DIR (served at /images/ by nginx, or by bitro-api itself when SERVE_IMAGES).
 * Registers @fastify/multipart on the HTTP server for its upload route.
 */
@Module({
  controllers: [BrandImagesAdminController, BrandImagesController],
  providers: [ImagePrisma, ImageStore, BrandImages, ImageHttp],
})
export class ImageModule {}

import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { type BitroEnv, BITRO_ENV } from '@bitro/config';
import type { FastifyInstance } from 'fastify';
import { ImageStore } from './image-store';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Plugs the upload parser into the HTTP server and, when SERVE_IMAGES (development, no nginx), serves IMAGE_DIR
 * at /images/ with immutable cache headers. A file that is not there falls through to the app's 404 problem.
 */
@Injectable()
export class ImageHttp implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly store: ImageStore,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.store.ensureRoot();
    // Operator commands run without an HTTP server.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    // Not awaited: awaiting would load the plugins at once, building the routes Nest has added so far before Nest
    // installs its error handler on them; queued, they load with everything else when the server starts.
    void fastify.register(fastifyMultipart, { limits: { fileSize: this.env.IMAGE_MAX_BYTES, files: 1, fields: 10, parts: 20 } });
    if (this.env.SERVE_IMAGES) {
      void fastify.register(fastifyStatic, {
        root: this.store.root,
        prefix: '/images/',
        decorateReply: false,
        index: false,
        list: false,
        dotfiles: 'ignore',
        // Only files are images (their names end in an extension); a directory is not found, like any other non-image.
        allowedPath: (path: string) => /\/[^/]+\.[a-z0-9]+$/i.test(path),
        immutable: true,
        maxAge: ONE_YEAR_MS,
      });
    }
  }
}

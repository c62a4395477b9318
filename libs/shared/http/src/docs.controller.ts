import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_GUIDE, OPENAPI_DOCUMENT } from './tokens';

// swagger-ui-dist ships the browsable UI as static files; only these are served.
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Bitro API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

// validatorUrl: null: Swagger UI would otherwise show a badge from validator.swagger.io, handing it the document's URL.
const INIT = `window.ui = SwaggerUIBundle({ url: '/docs/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });`;

@Controller('docs')
export class DocsController {
  // The package's main module evaluates the whole UI bundle (3.8 MB of source held in the heap); its path helper does not.
  private readonly assetDir: string = (require('swagger-ui-dist/absolute-path.js') as () => string)();

  constructor(
    @Inject(OPENAPI_DOCUMENT) private readonly document: { get(): unknown },
    @Inject(CLIENT_GUIDE) private readonly guideText: string,
  ) {}

  @Get('openapi.json')
  openapi(): unknown {
    return this.document.get();
  }

  @Get('guide')
  @Header('content-type', 'text/markdown; charset=utf-8')
  guide(): string {
    return this.guideText;
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }

  @Get('init.js')
  @Header('content-type', 'application/javascript; charset=utf-8')
  init(): string {
    return INIT;
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const type = ASSETS[file];
    const path = join(this.assetDir, file);
    if (!type || !existsSync(path)) throw new NotFoundException();
    void reply.header('content-type', type).header('cache-control', 'public, max-age=86400').send(createReadStream(path));
  }
}

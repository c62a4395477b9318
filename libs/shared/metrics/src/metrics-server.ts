import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { processRegistry } from './process-registry';

export interface MetricsServerOptions {
  host: string;
  port: number;
  /** The exposition of one scrape; concurrent scrapes share one. */
  exposition: () => Promise<string>;
  onError: (error: Error) => void;
}

/** A plain HTTP server on its own (internal) port: `GET /metrics` in the Prometheus text format, 404 for anything else. */
export class MetricsServer {
  private inflight: Promise<string> | undefined;

  private constructor(private readonly server: Server) {}

  static async start(options: MetricsServerOptions): Promise<MetricsServer> {
    let self: MetricsServer | undefined;
    const server = createServer((request, response) => {
      const path = request.url?.split('?', 1)[0];
      if (path !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: metrics are at /metrics\n');
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
        return;
      }
      self?.shared(options.exposition).then(
        (body) => response.writeHead(200, { 'content-type': processRegistry.contentType }).end(request.method === 'HEAD' ? undefined : body),
        (error: Error) => {
          options.onError(error);
          response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics could not be collected\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    self = new MetricsServer(server);
    return self;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Also ends Prometheus's kept-alive connection, which would otherwise hold the process's shutdown. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private shared(exposition: () => Promise<string>): Promise<string> {
    this.inflight ??= exposition().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }
}

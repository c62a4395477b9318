import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
  private readonly server: Server;

  private constructor(private readonly options: MetricsServerOptions) {
    this.server = createServer((request, response) => this.answer(request, response));
  }

  static async start(options: MetricsServerOptions): Promise<MetricsServer> {
    const metrics = new MetricsServer(options);
    await new Promise<void>((resolve, reject) => {
      metrics.server.once('error', reject);
      metrics.server.listen(options.port, options.host, () => {
        metrics.server.off('error', reject);
        resolve();
      });
    });
    return metrics;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Also ends Prometheus's kept-alive connection, which would otherwise hold the process's shutdown. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const path = request.url?.split('?', 1)[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: metrics are at /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return;
    }
    this.shared().then(
      (body) => response.writeHead(200, { 'content-type': processRegistry.contentType }).end(request.method === 'HEAD' ? undefined : body),
      (error: Error) => {
        this.options.onError(error);
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics could not be collected\n');
      },
    );
  }

  /** One collection for the scrapes that arrive while it runs. */
  private shared(): Promise<string> {
    this.inflight ??= this.options.exposition().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }
}

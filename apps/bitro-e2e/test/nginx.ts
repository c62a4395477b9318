import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort } from '@bitro/system-testing';

const root = join(import.meta.dirname, '..', '..', '..');
const TEMPLATE = join(root, 'deploy/nginx/templates/bitro.conf.template');

export interface SiteVariables {
  BITRO_API_SERVERS: string;
  NGINX_PORT: string;
  IMAGE_DIR: string;
}

/** The site template with its variables substituted as the nginx image's envsubst does: only the named ones. */
export async function renderSite(variables: SiteVariables): Promise<string> {
  const template = await readFile(TEMPLATE, 'utf8');
  return template.replace(/\$\{(\w+)\}/g, (whole, name: string) => (name in variables ? variables[name as keyof SiteVariables] : whole));
}

/**
 * nginx (the Debian package's /usr/sbin/nginx) serving the repository's site template, run as any user: its pid file,
 * logs and temporary files live in a directory of its own.
 */
export class Nginx {
  private constructor(
    readonly port: number,
    private readonly prefix: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(options: { apiPorts: number[]; imageDir: string }): Promise<Nginx> {
    const port = await freePort();
    const prefix = await mkdtemp(join(tmpdir(), 'bitro-nginx-'));
    const site = await renderSite({
      BITRO_API_SERVERS: options.apiPorts.map((p) => `server 127.0.0.1:${p};`).join('\n    '),
      NGINX_PORT: `127.0.0.1:${port}`,
      IMAGE_DIR: options.imageDir,
    });
    const temp = (name: string) => `${name}_temp_path ${join(prefix, name)};`;
    await writeFile(
      join(prefix, 'nginx.conf'),
      [
        'worker_processes 1;',
        `pid ${join(prefix, 'nginx.pid')};`,
        `error_log ${join(prefix, 'error.log')} info;`,
        'events { worker_connections 256; }',
        'http {',
        '  include /etc/nginx/mime.types;',
        '  default_type application/octet-stream;',
        `  access_log ${join(prefix, 'access.log')};`,
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `  ${temp(name)}`),
        site,
        '}',
      ].join('\n'),
    );
    const child = spawn('/usr/sbin/nginx', ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
    const nginx = new Nginx(port, prefix, child);
    await eventually(
      async () => child.exitCode === null && (await fetch(`${nginx.url}/`).then(() => true)),
      () => `nginx did not start (exit ${child.exitCode})`,
      10_000,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await nginx.errorLog()}`);
    });
    return nginx;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  errorLog(): Promise<string> {
    return readFile(join(this.prefix, 'error.log'), 'utf8').catch(() => '');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await new Promise<void>((resolve) => {
        this.child.once('exit', () => resolve());
        this.child.kill('SIGQUIT');
      });
    }
    await rm(this.prefix, { recursive: true, force: true });
  }
}

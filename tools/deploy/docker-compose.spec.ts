import { bitroEnvSchema, gatewayEnvSchema, loadEnv } from '@bitro/config';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { parse } from 'yaml';

// No Docker engine runs in CI, so the compose file and the Dockerfile are checked as data.
const root = join(import.meta.dirname, '..', '..');
interface Service {
  build?: { target?: string; args?: Record<string, string> };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  volumes?: string[];
  deploy?: { replicas?: number };
  profiles?: string[];
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const dockerfileStages = [...readFileSync(join(root, 'Dockerfile'), 'utf8').matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);
const service = (name: string): Service => compose.services[name] ?? expect.unreachable(`no service ${name}`);

/** The environment as the app reads it: `${NAME:-default}` takes its default, `${NAME:?message}` (a required secret) a stand-in. */
function resolved(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([k, v]) => [k, v.replace(/\$\{\w+:([?-])([^}]*)\}/g, (_, kind: string, rest: string) => (kind === '-' ? rest : 'j'.repeat(40)))]),
  );
}

function expectAcceptedBy(schema: z.ZodObject, environment: Record<string, string>): void {
  const known = Object.keys(schema.shape);
  for (const name of Object.keys(environment)) expect(known).toContain(name);
  expect(() => loadEnv(schema, resolved(environment))).not.toThrow();
}

describe('docker-compose.yml', () => {
  it('runs postgres, redis, Bitcoin Core, the migrations, bitcoin-gateway, bitro-api and nginx; prometheus and grafana on request', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'bitcoin-gateway', 'bitcoind', 'bitcoind-init', 'bitro-api', 'grafana', 'migrate', 'migrate-gateway', 'nginx', 'postgres', 'prometheus', 'redis',
    ]);
    const optional = Object.entries(compose.services).filter(([, s]) => s.profiles).map(([name, s]) => [name, s.profiles]);
    expect(optional).toEqual([['prometheus', ['observability']], ['grafana', ['observability']]]);
    expect(service('bitcoind').image).toMatch(/^bitcoin\/bitcoin:29\./);
    expect(service('bitcoind').command).toContain('-regtest');
  });

  it('builds every service from a stage the Dockerfile has, each app from its own build output', () => {
    for (const s of Object.values(compose.services)) {
      if (s.build) expect(dockerfileStages).toContain(s.build.target);
      else expect(s.image).toMatch(/^[\w./-]+:[\w.-]+$/);
    }
    expect(service('bitcoin-gateway').build?.args).toEqual({ APP: 'bitcoin-gateway' });
    expect(service('bitro-api').build?.args?.APP ?? 'bitro-api').toBe('bitro-api');
  });

  it('starts each app only after healthy dependencies and its applied migrations', () => {
    expect(service('bitro-api').depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
      'bitcoin-gateway': { condition: 'service_healthy' },
    });
    expect(service('bitcoin-gateway').depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      'bitcoind-init': { condition: 'service_completed_successfully' },
      'migrate-gateway': { condition: 'service_completed_successfully' },
    });
  });

  it('gives each app an environment its schema accepts', () => {
    expectAcceptedBy(bitroEnvSchema, service('bitro-api').environment ?? {});
    expectAcceptedBy(gatewayEnvSchema, service('bitcoin-gateway').environment ?? {});
  });

  it('keeps the gateway private, on its own database and credentials, sharing only the HMAC secret with bitro-api', () => {
    const gateway = service('bitcoin-gateway');
    const api = service('bitro-api');
    expect(gateway.ports).toBeUndefined();
    expect(gateway.environment?.GATEWAY_DATABASE_URL).toMatch(/^postgresql:\/\/gateway:.*\/bitro_gateway$/);
    expect(service('migrate-gateway').environment?.DATABASE_URL).toBe(gateway.environment?.GATEWAY_DATABASE_URL);
    expect(service('migrate-gateway').command).toEqual(['node', 'tools/prisma/domains.mjs', 'migrate', 'gateway']);
    expect(service('migrate').command).toEqual(['node', 'tools/prisma/domains.mjs', 'migrate', 'bitro']);
    expect(Object.keys(api.environment ?? {}).filter((k) => k.startsWith('BITCOIN_'))).toEqual([]);
    expect(api.environment?.GATEWAY_HMAC_SECRET).toBe(gateway.environment?.GATEWAY_HMAC_SECRET);
    expect(api.environment?.GATEWAY_URL).toBe('http://bitcoin-gateway:3100');
  });

  it('serves each app\'s metrics on its own port to the compose network, never published', () => {
    for (const [name, port] of [['bitro-api', '9464'], ['bitcoin-gateway', '9465']] as const) {
      const app = service(name);
      expect(app.environment).toMatchObject({ METRICS_HOST: '0.0.0.0', METRICS_PORT: port });
      expect(app.environment?.['PORT']).not.toBe(port);
      expect(app.ports).toBeUndefined();
    }
  });

  it('declares the volumes it mounts', () => {
    expect(Object.keys(compose.volumes).sort()).toEqual(['bitcoind-data', 'grafana-data', 'images', 'postgres-data', 'prometheus-data', 'redis-data']);
  });

  it('puts nginx in front of the bitro-api replicas, serving the image volume read-only from the repository template', () => {
    const nginx = service('nginx');
    const api = service('bitro-api');
    expect(nginx.image).toMatch(/^nginx:1\.\d+-bookworm$/);
    expect(nginx.ports).toEqual(['80:80']);
    expect(api.ports).toBeUndefined();
    expect(api.deploy?.replicas).toBeGreaterThan(1);
    expect(nginx.depends_on).toEqual({ 'bitro-api': { condition: 'service_healthy' } });
    expect(nginx.volumes).toEqual(['./deploy/nginx/templates:/etc/nginx/templates:ro', `images:${api.environment?.IMAGE_DIR}:ro`]);
    expect(api.volumes).toEqual([`images:${api.environment?.IMAGE_DIR}`]);
    expect(nginx.environment).toEqual({ BITRO_API_SERVERS: `server bitro-api:${api.environment?.PORT};`, NGINX_PORT: '80', IMAGE_DIR: api.environment?.IMAGE_DIR });
    expect(loadEnv(bitroEnvSchema, resolved(api.environment ?? {}))).toMatchObject({ SERVE_IMAGES: false, TRUST_PROXY: 1 });
  });

  it('gives the nginx template every variable it uses and nothing else', () => {
    const template = readFileSync(join(root, 'deploy/nginx/templates/bitro.conf.template'), 'utf8');
    const used = new Set([...template.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect(used).toEqual(new Set(Object.keys(service('nginx').environment ?? {})));
    expect(template).toMatch(/location \/images\/ \{\s*alias \$\{IMAGE_DIR\}\/;/);
    expect(template).toMatch(/location \/v1\/ \{\s*proxy_pass http:\/\/bitro_api;/);
  });

  it('mounts the Prometheus config where its rule_files pattern finds the mounted rules, Grafana its provisioning and dashboards', () => {
    const prometheus = service('prometheus');
    expect(prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(prometheus.volumes).toEqual([
      './deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
      './deploy/prometheus/rules:/etc/prometheus/rules:ro',
      'prometheus-data:/prometheus',
    ]);
    const config = parse(readFileSync(join(root, 'deploy/prometheus/prometheus.yml'), 'utf8')) as { rule_files: string[] };
    expect(config.rule_files.map((pattern) => posix.join('/etc/prometheus', posix.dirname(pattern)))).toEqual(['/etc/prometheus/rules']);
    const grafana = service('grafana');
    expect(grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(grafana.volumes).toEqual([
      './deploy/grafana/provisioning:/etc/grafana/provisioning:ro',
      './deploy/grafana/dashboards:/etc/grafana/dashboards:ro',
      'grafana-data:/var/lib/grafana',
    ]);
    expect(grafana.depends_on).toEqual({ prometheus: { condition: 'service_healthy' } });
  });

  it('publishes Prometheus (9090) and Grafana (3001) on the loopback interface only, never the apps\' metrics ports', () => {
    expect(service('prometheus').ports).toEqual(['127.0.0.1:9090:9090']);
    expect(service('grafana').ports).toEqual(['127.0.0.1:3001:3000']);
    const published = Object.values(compose.services).flatMap((s) => s.ports ?? []);
    expect(published.filter((p) => /(^|:)(9464|9465)(:|$)/.test(p))).toEqual([]);
    expect(service('bitro-api').ports).toBeUndefined();
    expect(service('bitcoin-gateway').ports).toBeUndefined();
  });

  it('has the app images listen for metrics on the container network, where Prometheus scrapes them', () => {
    const runtime = readFileSync(join(root, 'Dockerfile'), 'utf8').split(/^FROM\s+/m).find((stage) => /\bAS runtime\b/.test(stage)) ?? '';
    expect(runtime).toMatch(/^ENV METRICS_HOST=0\.0\.0\.0$/m);
    expect(runtime).not.toMatch(/^EXPOSE\b/m);
  });
});

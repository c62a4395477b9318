import { bitroEnvSchema, loadEnv } from '@bitro/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine runs in CI, so the compose file and the Dockerfile are checked as data.
const root = join(import.meta.dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { build?: { target?: string }; image?: string; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }> }>;
  volumes: Record<string, unknown>;
};
const dockerfileStages = [...readFileSync(join(root, 'Dockerfile'), 'utf8').matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);

describe('docker-compose.yml', () => {
  it('runs postgres, redis, the migrations and bitro-api', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['bitro-api', 'migrate', 'postgres', 'redis']);
  });

  it('builds every service from a stage the Dockerfile has', () => {
    for (const service of Object.values(compose.services)) {
      if (service.build) expect(dockerfileStages).toContain(service.build.target);
      else expect(service.image).toMatch(/^[\w.-]+:[\w.-]+$/);
    }
  });

  it('starts bitro-api only after healthy dependencies and applied migrations', () => {
    expect(compose.services['bitro-api']?.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
  });

  it('gives bitro-api an environment its schema accepts', () => {
    const environment = compose.services['bitro-api']?.environment ?? {};
    const known = Object.keys(bitroEnvSchema.shape);
    for (const name of Object.keys(environment)) expect(known).toContain(name);
    const resolved = Object.fromEntries(
      // `${NAME:-default}` takes its default; `${NAME:?message}` (a required secret) a 40-character stand-in.
      Object.entries(environment).map(([k, v]) => [k, v.replace(/\$\{\w+:([?-])([^}]*)\}/g, (_, kind: string, rest: string) => (kind === '-' ? rest : 'j'.repeat(40)))]),
    );
    // As bitro-api reads it at start-up (an empty value counts as unset).
    expect(() => loadEnv(bitroEnvSchema, resolved)).not.toThrow();
  });

  it('declares the volumes it mounts', () => {
    expect(Object.keys(compose.volumes).sort()).toEqual(['postgres-data', 'redis-data']);
  });
});

import { defineConfig } from 'prisma/config';

/**
 * The Prisma config of one domain library (`libs/<lib>/prisma.config.ts`): its schema file, its
 * migrations, and DATABASE_URL with `?schema=<schema>`, which keeps the domain's tables and its
 * `_prisma_migrations` history in its own Postgres schema. DATABASE_URL is optional so that
 * `prisma generate` works without a database.
 */
export function domainPrismaConfig(schema) {
  const url = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : undefined;
  url?.searchParams.set('schema', schema);
  return defineConfig({
    schema: 'prisma/schema.prisma',
    migrations: { path: 'prisma/migrations' },
    datasource: { url: url?.toString() },
  });
}

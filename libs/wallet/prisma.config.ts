import { defineConfig } from 'prisma/config';

// `?schema=wallet` keeps this domain's `_prisma_migrations` history in its own Postgres schema.
// DATABASE_URL is optional so that `prisma generate` works without a database.
const url = process.env['DATABASE_URL'] ? new URL(process.env['DATABASE_URL']) : undefined;
url?.searchParams.set('schema', 'wallet');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: url?.toString() },
});

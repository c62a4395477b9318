import type { PrismaConfig } from 'prisma/config';

export function domainPrismaConfig(schema: string): PrismaConfig;

import { domainPrismaConfig } from '../../tools/prisma/domain-config.mjs';

export default domainPrismaConfig('admin');

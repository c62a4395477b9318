import { NestFactory } from '@nestjs/core';
import { type BitroEnv } from '@bitro/config';
import { type UserProvisioningApi, USER_PROVISIONING_API } from '@bitro/service-api';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AppModule } from '../app/app.module';

const USAGE = `Usage: admin:create --email <address> [--display-name <name>]
The password is read from ADMIN_PASSWORD; without it a random one is generated and printed once.
An existing account with that e-mail is promoted to admin (its password is kept).`;

/** Creates an admin account: the only way to get one (signup never does). */
export async function adminCreate(env: BitroEnv, argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: 'string' }, 'display-name': { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help || !values.email) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const generated = process.env['ADMIN_PASSWORD'] ? undefined : randomBytes(18).toString('base64url');
  const password = process.env['ADMIN_PASSWORD'] ?? generated ?? '';
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...env, LOG_LEVEL: 'warn' }), { logger: ['error'] });
  try {
    const provisioning = app.get<UserProvisioningApi>(USER_PROVISIONING_API);
    const { user, created } = await provisioning.createAdmin({
      email: values.email,
      password,
      displayName: values['display-name'] ?? 'Administrator',
    });
    console.log(created ? `Created admin ${user.email} (${user.id}).` : `Promoted ${user.email} (${user.id}) to admin.`);
    if (created && generated) console.log(`Generated password (shown once): ${generated}`);
    return 0;
  } finally {
    await app.close();
  }
}

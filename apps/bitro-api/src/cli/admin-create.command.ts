import type { INestApplicationContext } from '@nestjs/common';
import { USER_PROVISIONING_API, type UserProvisioningApi } from '@bitro/service-api';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Command } from '@bitro/cli';

/** Creates an admin account: the only way to get one (signup never does). */
export const adminCreateCommand: Command = {
  name: 'admin:create',
  usage: `admin:create --email <address> [--display-name <name>]
  The password is read from ADMIN_PASSWORD; without it a random one is generated and printed once.
  An existing account with that e-mail is promoted to admin (its password is kept).`,
  async run(app: INestApplicationContext, argv: string[]): Promise<number> {
    const { values } = parseArgs({ args: argv, options: { email: { type: 'string' }, 'display-name': { type: 'string' } }, strict: true });
    if (!values.email) {
      console.error(`Usage: ${this.usage}`);
      return 2;
    }
    const generated = process.env['ADMIN_PASSWORD'] ? undefined : randomBytes(18).toString('base64url');
    const { user, created } = await app.get<UserProvisioningApi>(USER_PROVISIONING_API).createAdmin({
      email: values.email,
      password: process.env['ADMIN_PASSWORD'] ?? generated ?? '',
      displayName: values['display-name'] ?? 'Administrator',
    });
    console.log(created ? `Created admin ${user.email} (${user.id}).` : `Promoted ${user.email} (${user.id}) to admin.`);
    if (created && generated) console.log(`Generated password (shown once): ${generated}`);
    return 0;
  },
};

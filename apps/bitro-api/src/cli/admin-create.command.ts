import type { INestApplicationContext } from '@nestjs/common';
import { AdminPromotionRefusedError, USER_PROVISIONING_API, type UserProvisioningApi } from '@bitro/service-api';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Command } from '@bitro/cli';

/** Creates an admin account: the only way to get one (signup never does). */
export const adminCreateCommand: Command = {
  name: 'admin:create',
  usage: `admin:create --email <address> [--display-name <name>] [--promote-existing]
  The password is read from ADMIN_PASSWORD; without it a random one is generated and printed once.
  The admin's two-factor secret (an otpauth:// URI for an authenticator app) is printed once; login needs its codes.
  An existing account with that e-mail is refused unless --promote-existing is given and its e-mail is verified;
  then its password is replaced and every session of it ended.`,
  async run(app: INestApplicationContext, argv: string[]): Promise<number> {
    const { values } = parseArgs({
      args: argv,
      options: { email: { type: 'string' }, 'display-name': { type: 'string' }, 'promote-existing': { type: 'boolean', default: false } },
      strict: true,
    });
    if (!values.email) {
      console.error(`Usage: ${this.usage}`);
      return 2;
    }
    const generated = process.env['ADMIN_PASSWORD'] ? undefined : randomBytes(18).toString('base64url');
    try {
      const { user, created, otpauthUri } = await app.get<UserProvisioningApi>(USER_PROVISIONING_API).createAdmin({
        email: values.email,
        password: process.env['ADMIN_PASSWORD'] ?? generated ?? '',
        displayName: values['display-name'] ?? 'Administrator',
        promoteExisting: values['promote-existing'],
      });
      console.log(created ? `Created admin ${user.email} (${user.id}).` : `Promoted ${user.email} (${user.id}) to admin; its sessions were ended.`);
      if (generated) console.log(`Generated password (shown once): ${generated}`);
      if (otpauthUri) console.log(`Two-factor secret (shown once; add it to an authenticator app, login needs its codes): ${otpauthUri}`);
      return 0;
    } catch (error) {
      if (!(error instanceof AdminPromotionRefusedError)) throw error;
      console.error(error.message);
      return 1;
    }
  },
};

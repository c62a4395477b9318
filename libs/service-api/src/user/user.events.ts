import { z } from 'zod';
import { defineEvent } from '../events/event-contract';

/** A user signed in from a device (User-Agent) not seen on that account before; never on the account's first sign-in. */
export const userLoginNewDeviceV1 = defineEvent(
  'user.login-new-device.v1',
  z.object({
    userId: z.uuid(),
    /** The client's User-Agent as sent (cut to 300 characters); empty when it sent none. */
    userAgent: z.string().max(300),
    ip: z.string().max(64),
  }),
);

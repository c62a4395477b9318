import { AUDIT_API, WALLET_API, type WalletApi } from '@bitro/service-api';
import { type ModuleTest, type ModuleTestOptions, RecordingAudit, startModuleTest } from '@bitro/testing';
import { UserModule } from '../src';

export interface UserModuleTestOptions extends Omit<ModuleTestOptions, 'module' | 'stubs'> {
  /** AUDIT_API; a RecordingAudit of its own unless given. */
  audit?: RecordingAudit;
  /** WALLET_API (an admin's view of a user shows the balance); an empty object unless a test needs it. */
  wallet?: Partial<WalletApi>;
}

/** UserModule on the module test harness, with stubs for the audit and wallet domains. */
export function startUserModule({ audit = new RecordingAudit(), wallet = {}, ...options }: UserModuleTestOptions = {}): Promise<ModuleTest> {
  return startModuleTest({
    module: UserModule,
    stubs: [
      { provide: AUDIT_API, useValue: audit },
      { provide: WALLET_API, useValue: wallet },
    ],
    ...options,
  });
}

/** Asserts a problem+json answer of this status and code. */

export { expectProblem } from '@bitro/testing';

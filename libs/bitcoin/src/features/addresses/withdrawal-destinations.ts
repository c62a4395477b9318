import { Inject, Injectable } from '@nestjs/common';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions } from '../../bitcoin-module.options';
import { AddressValidator, type AddressValidation } from './address-validator';

/**
 * Where the gateway pays withdrawals: what Core accepts as a destination (the validator, exactly Core's rules), minus
 * outputs that anyone can spend today unless configured otherwise. Witness versions 2–16, and version 1 with a
 * program other than 32 bytes (pay-to-anchor is the 2-byte `4e73`), have no spending rules yet (BIP341 "future
 * upgrades"; Core's IsStandard relays them): coins sent there are free for the first taker.
 */
@Injectable()
export class WithdrawalDestinations {
  private readonly allowAnyoneCanSpend: boolean;

  constructor(
    private readonly validator: AddressValidator,
    @Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions,
  ) {
    this.allowAnyoneCanSpend = options.withdrawals?.allowAnyoneCanSpend ?? false;
  }

  get network(): string {
    return this.validator.network;
  }

  check(address: string): AddressValidation {
    const result = this.validator.validate(address);
    if (!result.valid || result.type !== 'witness_unknown' || this.allowAnyoneCanSpend) return result;
    return {
      valid: false,
      reason: 'anyone-can-spend',
      message: 'Outputs to this address (a witness version without spending rules yet, such as pay-to-anchor) can be spent by anyone',
    };
  }
}

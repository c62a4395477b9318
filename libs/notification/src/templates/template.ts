import type { Locale, NotificationFacts, NotificationType } from '../catalogue/notification-types';
import { formatBtc } from './btc-amount';

export interface Rendered {
  title: string;
  body: string;
}

/** The text of one notification type in one locale. */
export type Template = (facts: TemplateFacts) => Rendered;
export type LocaleTemplates = Record<NotificationType, Template>;

/** The facts with the amounts already formatted (`<amount> BTC`); missing ones are empty. */
export interface TemplateFacts {
  amount: string;
  fee: string;
  address: string;
  txid: string;
  confirmations: string;
  brand: string;
  reason: string;
  userAgent: string;
  ip: string;
}

const btc = (sats: string | undefined): string => (sats === undefined ? '' : `${formatBtc(sats)} BTC`);

export function templateFacts(facts: NotificationFacts): TemplateFacts {
  return {
    amount: btc(facts.amountSats),
    fee: btc(facts.feeSats),
    address: facts.address ?? '',
    txid: facts.txid ?? '',
    confirmations: facts.confirmations === undefined ? '' : String(facts.confirmations),
    brand: facts.brand ?? '',
    reason: facts.reason ?? '',
    userAgent: facts.userAgent || '-',
    ip: facts.ip ?? '',
  };
}

export type { Locale };

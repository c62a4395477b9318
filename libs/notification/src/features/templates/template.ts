import type { Locale, NotificationFacts, NotificationType } from '../catalogue/notification-types';
import { formatBtc } from './btc-amount';

export interface Rendered {
  title: string;
  body: string;
}

/** The text of one notification type in one locale. */
export type Template = (facts: TemplateFacts) => Rendered;
export type LocaleTemplates = Record<NotificationType, Template>;

/** A locale's words for the reason codes events carry (`rejected-in-review`); a code without words is shown as it is. */
export type ReasonTexts = Readonly<Record<string, string>>;

/** The facts with the amounts already formatted (`<amount> BTC`) and the reason in words; missing ones are empty. */
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

export function templateFacts(facts: NotificationFacts, reasons: ReasonTexts): TemplateFacts {
  return {
    amount: btc(facts.amountSats),
    fee: btc(facts.feeSats),
    address: facts.address ?? '',
    txid: facts.txid ?? '',
    confirmations: facts.confirmations === undefined ? '' : String(facts.confirmations),
    brand: facts.brand ?? '',
    reason: facts.reason === undefined ? '' : (reasons[facts.reason] ?? facts.reason),
    userAgent: facts.userAgent || '-',
    ip: facts.ip ?? '',
  };
}

export type { Locale };

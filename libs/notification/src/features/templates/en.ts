import type { LocaleTemplates, ReasonTexts } from './template';

export const en: LocaleTemplates = {
  'redemption.credited': (f) => ({ title: 'Gift card redeemed', body: `${f.amount} from your ${f.brand} gift card is now in your wallet.` }),
  'redemption.rejected': (f) => ({ title: 'Gift card rejected', body: `Your gift card redemption was rejected. Reason: ${f.reason}` }),
  'deposit.detected': (f) => ({ title: 'Deposit detected', body: `A deposit of ${f.amount} was detected; it is credited once confirmed. (tx ${f.txid})` }),
  'deposit.confirmed': (f) => ({ title: 'Deposit credited', body: `Your deposit of ${f.amount} has ${f.confirmations} confirmations and is credited. (tx ${f.txid})` }),
  'deposit.reversed': (f) => ({ title: 'Deposit reversed', body: `Your deposit of ${f.amount} left the blockchain and was reversed. Reason: ${f.reason} (tx ${f.txid})` }),
  'withdrawal.requested': (f) => ({ title: 'Withdrawal requested', body: `Your withdrawal of ${f.amount} to ${f.address} was accepted.` }),
  'withdrawal.broadcast': (f) => ({ title: 'Withdrawal sent', body: `Your withdrawal was broadcast to the network. Fee ${f.fee} (tx ${f.txid})` }),
  'withdrawal.confirmed': (f) => ({ title: 'Withdrawal confirmed', body: `Your withdrawal has ${f.confirmations} confirmations and is complete. Fee ${f.fee} (tx ${f.txid})` }),
  'withdrawal.failed': (f) => ({ title: 'Withdrawal failed', body: `Your withdrawal was not sent and the held amount was released. Reason: ${f.reason}` }),
  'withdrawal.rejected': (f) => ({ title: 'Withdrawal rejected', body: `Your withdrawal of ${f.amount} to ${f.address} was rejected and the held amount was released. Reason: ${f.reason}` }),
  'login.new-device': (f) => ({ title: 'Sign-in from a new device', body: `You signed in from a new device: ${f.userAgent} (IP ${f.ip}). If this was not you, change your password.` }),
};

export const enReasons: ReasonTexts = {
  'rejected-in-review': 'not approved in our review; contact support for details',
};

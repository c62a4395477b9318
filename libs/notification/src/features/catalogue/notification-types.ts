import { z } from 'zod';

/** What a user can be notified of; preferences, templates and webhook filters use these names. */
export const NOTIFICATION_TYPES = [
  'redemption.credited',
  'redemption.rejected',
  'deposit.detected',
  'deposit.confirmed',
  'deposit.reversed',
  'withdrawal.requested',
  'withdrawal.broadcast',
  'withdrawal.confirmed',
  'withdrawal.failed',
  'withdrawal.rejected',
  'login.new-device',
] as const;
export const notificationTypeSchema = z.enum(NOTIFICATION_TYPES);
export type NotificationType = z.infer<typeof notificationTypeSchema>;

export const LOCALES = ['ko', 'en'] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;
export const DEFAULT_LOCALE: Locale = 'ko';

/** The facts a template may use; amounts are decimal strings of satoshis. */
export interface NotificationFacts {
  amountSats?: string;
  feeSats?: string;
  address?: string;
  txid?: string;
  confirmations?: number;
  brand?: string;
  reason?: string;
  userAgent?: string;
  ip?: string;
  [key: string]: string | number | undefined;
}

/** A happening to notify a user of: `subject` names what it is about (a withdrawal, a deposit output...). */
export interface NotificationRequest {
  type: NotificationType;
  userId: string;
  subject: string;
  eventId: string;
  facts: NotificationFacts;
}

import { Injectable } from '@nestjs/common';
import { DEFAULT_LOCALE, type Locale, localeSchema, NOTIFICATION_TYPES, type NotificationType } from '../catalogue/notification-types';
import { NotificationPrisma, type NotificationTx } from '../../persistence/notification-prisma';

export interface ChannelChoice {
  inApp: boolean;
  email: boolean;
  webhook: boolean;
}

export interface PreferencesView {
  locale: Locale;
  events: Record<NotificationType, ChannelChoice>;
}

export interface PreferencesUpdate {
  locale?: Locale;
  events?: Partial<Record<NotificationType, Partial<ChannelChoice>>>;
}

/** Every channel: a type without a preference row. */
export const ALL_ON: ChannelChoice = { inApp: true, email: true, webhook: true };

/** A user's locale and, per notification type, which channels are on (all of them unless turned off). */
@Injectable()
export class Preferences {
  constructor(private readonly prisma: NotificationPrisma) {}

  async locale(db: NotificationTx, userId: string): Promise<Locale> {
    const settings = await db.settings.findUnique({ where: { userId } });
    return localeSchema.catch(DEFAULT_LOCALE).parse(settings?.locale);
  }

  async channels(db: NotificationTx, userId: string, type: NotificationType): Promise<ChannelChoice> {
    const row = await db.preference.findUnique({ where: { userId_type: { userId, type } } });
    return row ? { inApp: row.inApp, email: row.email, webhook: row.webhook } : ALL_ON;
  }

  async get(userId: string, db: NotificationTx = this.prisma): Promise<PreferencesView> {
    const rows = await db.preference.findMany({ where: { userId } });
    const events = Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, ALL_ON])) as Record<NotificationType, ChannelChoice>;
    for (const row of rows) events[row.type as NotificationType] = { inApp: row.inApp, email: row.email, webhook: row.webhook };
    return { locale: await this.locale(db, userId), events };
  }

  /** Changes only what `update` names; the rest stays as it was. */
  update(userId: string, update: PreferencesUpdate): Promise<PreferencesView> {
    return this.prisma.$transaction(async (tx) => {
      if (update.locale) await tx.settings.upsert({ where: { userId }, create: { userId, locale: update.locale }, update: { locale: update.locale } });
      for (const [type, change] of Object.entries(update.events ?? {}) as Array<[NotificationType, Partial<ChannelChoice>]>) {
        const choice = { ...(await this.channels(tx, userId, type)), ...change };
        await tx.preference.upsert({ where: { userId_type: { userId, type } }, create: { userId, type, ...choice }, update: choice });
      }
      return this.get(userId, tx);
    });
  }
}

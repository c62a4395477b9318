import type { Locale, NotificationFacts, NotificationType } from '../catalogue/notification-types';
import { en } from './en';
import { ko } from './ko';
import { type LocaleTemplates, type Rendered, templateFacts } from './template';

const TEMPLATES: Record<Locale, LocaleTemplates> = { ko, en };

/** The title and body of a notification in a locale. */
export function render(type: NotificationType, locale: Locale, facts: NotificationFacts): Rendered {
  return TEMPLATES[locale][type](templateFacts(facts));
}

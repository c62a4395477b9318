import type { Locale, NotificationFacts, NotificationType } from '../catalogue/notification-types';
import { en, enReasons } from './en';
import { ko, koReasons } from './ko';
import { type LocaleTemplates, type ReasonTexts, type Rendered, templateFacts } from './template';

const TEMPLATES: Record<Locale, LocaleTemplates> = { ko, en };
const REASONS: Record<Locale, ReasonTexts> = { ko: koReasons, en: enReasons };

/** The title and body of a notification in a locale. */
export function render(type: NotificationType, locale: Locale, facts: NotificationFacts): Rendered {
  return TEMPLATES[locale][type](templateFacts(facts, REASONS[locale]));
}

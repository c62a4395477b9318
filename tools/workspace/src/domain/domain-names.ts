/** Every spelling of a domain's name that its files use, from the kebab-case name (`gift-points`). */
export interface DomainNames {
  /** `gift-points`: project, folder, import path `@bitro/gift-points`, routes, event names. */
  name: string;
  /** `GiftPoints`: classes (`GiftPointsModule`, `GiftPointsApi`). */
  className: string;
  /** `giftPoints`: constants (`giftPointsItemCreatedV1`, `giftPointsItemViewSchema`). */
  propertyName: string;
  /** `GIFT_POINTS`: the token `GIFT_POINTS_API`. */
  constantName: string;
  /** `gift_points`: the Postgres schema (an identifier that needs no quoting). */
  schemaName: string;
  /** `gift points`: prose. */
  title: string;
}

export function domainNames(name: string): DomainNames {
  const words = name.split('-');
  const capitalised = words.map((word) => word[0].toUpperCase() + word.slice(1));
  return {
    name,
    className: capitalised.join(''),
    propertyName: words[0] + capitalised.slice(1).join(''),
    constantName: words.join('_').toUpperCase(),
    schemaName: words.join('_'),
    title: words.join(' '),
  };
}

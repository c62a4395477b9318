import { DRIFT_LIST_LIMIT, type DriftItem, type DriftList } from '@bitro/service-api';

/** Counts every finding, keeps the first {@link DRIFT_LIST_LIMIT}. */
export class DriftCollector {
  private count = 0;
  private readonly items: DriftItem[] = [];

  add(id: string, reason: string): void {
    this.count++;
    if (this.items.length < DRIFT_LIST_LIMIT) this.items.push({ id, reason });
  }

  /** Findings counted elsewhere: `count` in all, of which `items` are the first. */
  addCounted(count: number, items: DriftItem[]): void {
    this.count += count;
    this.items.push(...items.slice(0, DRIFT_LIST_LIMIT - this.items.length));
  }

  list(): DriftList {
    return { count: this.count, items: [...this.items] };
  }
}

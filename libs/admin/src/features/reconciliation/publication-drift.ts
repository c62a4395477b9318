import { Injectable } from '@nestjs/common';
import { Publications } from '@bitro/messaging';
import type { DriftList } from '@bitro/service-api';
import { DriftCollector } from './drift-collector';

/** Counted up to this many; the report lists the first of them. */
const MOST_COUNTED = 10_000;

/** (event, consumer) deliveries still incomplete after the grace, or dead-lettered, from this process's publication record. */
@Injectable()
export class PublicationDrift {
  constructor(private readonly publications: Publications) {}

  async find(graceMs: number, now: Date): Promise<DriftList> {
    const found = new DriftCollector();
    for (const publication of await this.publications.incomplete(graceMs, MOST_COUNTED)) {
      const age = Math.round((now.getTime() - publication.createdAt.getTime()) / 1000);
      const state = publication.failed ? 'dead-lettered' : 'not completed';
      found.add(publication.eventId, `${publication.eventName} for ${publication.consumer}: ${state} after ${publication.deliveries} deliveries, ${age} s`);
    }
    return found.list();
  }
}

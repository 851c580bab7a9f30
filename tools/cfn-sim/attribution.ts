/**
 * Who made each call, and what it told them: the caller is the access key ID in the SigV4
 * `Authorization` header's `Credential=AKID/date/region/service/aws4_request`, so one simulator
 * can serve several clients side by side and count each one's calls. A DescribeStackEvents page
 * "has news" when it holds an event that caller had not been given before (by any page of any
 * stack): the same measure for every client, whatever its paging strategy.
 */
import type { XmlObject, XmlValue } from './xml';

/** The access key ID of a SigV4-signed request; undefined when unsigned or signed otherwise. */
export function accessKeyOf(authorization: string | undefined): string | undefined {
  const match = /Credential=([^/,\s]+)\//.exec(authorization ?? '');
  return match?.[1];
}

export class NewsBook {
  private readonly given = new Map<string, Set<string>>();

  /** Records the events given to a caller; true when any of them was new to that caller. */
  note(caller: string | undefined, eventIds: readonly string[]): boolean {
    const key = caller ?? '';
    const seen = this.given.get(key) ?? new Set<string>();
    this.given.set(key, seen);
    let news = false;
    for (const id of eventIds) {
      if (!seen.has(id)) news = true;
      seen.add(id);
    }
    return news;
  }

  clear(): void {
    this.given.clear();
  }
}

/** The EventIds of a DescribeStackEvents result (its `StackEvents` members). */
export function eventIdsOf(result: XmlObject | undefined): string[] {
  const events: XmlValue = result?.['StackEvents'];
  if (!Array.isArray(events)) return [];
  return events.flatMap((event: XmlValue) => {
    const id = isObject(event) ? event['EventId'] : undefined;
    return typeof id === 'string' ? [id] : [];
  });
}

/** A DescribeChangeSet result's `Status`. */
export function changeSetStatusOf(result: XmlObject | undefined): string | undefined {
  const status = result?.['Status'];
  return typeof status === 'string' ? status : undefined;
}

function isObject(value: XmlValue): value is XmlObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

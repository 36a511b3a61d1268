/**
 * Graph list paging, once for the plugin: a list answer is `{data, paging: {next}}` and the next
 * page is the absolute URL in `paging.next` (REFERENCE, Meta paging). Contract: every item of
 * every page, in order; a `next` URL that comes back twice would page forever, so it ends the
 * read with a MALFORMED error (a read: nothing was applied).
 */
import { toAdctlError } from '../../core/http-policy.js';

export interface GraphPage<T> {
  data: T[];
  paging?: { next?: string | undefined } | undefined;
}

export async function allPages<T>(first: GraphPage<T>, nextPage: (url: string) => Promise<GraphPage<T>>): Promise<T[]> {
  const out = [...first.data];
  const seen = new Set<string>();
  let page = first;
  while (page.paging?.next) {
    const next = page.paging.next;
    if (seen.has(next)) throw toAdctlError('meta', { kind: 'malformed', message: 'Meta pagination repeated the same next page', notApplied: true });
    seen.add(next);
    page = await nextPage(next);
    out.push(...page.data);
  }
  return out;
}

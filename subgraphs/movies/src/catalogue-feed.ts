import { CATALOGUE_FEED_DEFAULT_LIMIT, CATALOGUE_FEED_MAX_LIMIT, type CatalogueFeedEvent, type CatalogueFeedPage } from '@cinema/kit/catalogue-feed';
import { sendJson, type RouteHandler } from '@cinema/kit/graphql-http';
import type { Kysely } from 'kysely';
import type { MoviesDatabase } from './db/database.js';
import { findCatalogueEventsAfter } from './catalogue-event.repository.js';

/**
 * `GET /feeds/catalogue?after=<seq>&limit=<n>` (`CATALOGUE_FEED_PATH`): the catalogue outbox as a pull feed, in the
 * shape of the kit's catalogue feed contract. Other services keep their own projections (the ratings service's
 * movie → genres) by reading it from where they left off, so they catch up after any downtime and never read this
 * service's tables.
 */
export function catalogueFeedRoute(db: Kysely<MoviesDatabase>): RouteHandler {
  return async (req, res, url) => {
    if (req.method !== 'GET') return sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED' } }, { allow: 'GET' });
    const after = Number(url.searchParams.get('after') ?? '0');
    const limit = Number(url.searchParams.get('limit') ?? String(CATALOGUE_FEED_DEFAULT_LIMIT));
    if (!Number.isSafeInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1 || limit > CATALOGUE_FEED_MAX_LIMIT) {
      return sendJson(res, 400, { error: { code: 'BAD_REQUEST', message: `after must be a non-negative integer, limit 1..${CATALOGUE_FEED_MAX_LIMIT}` } });
    }
    const rows = await findCatalogueEventsAfter(db, after, limit);
    const events: CatalogueFeedEvent[] = rows.map((row) => ({ seq: row.seq, kind: row.kind, movieId: row.movie_id, genres: row.genres }));
    const page: CatalogueFeedPage = { events, lastSeq: events.at(-1)?.seq ?? after };
    sendJson(res, 200, page);
  };
}

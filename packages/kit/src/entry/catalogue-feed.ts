/**
 * `@cinema/kit/catalogue-feed`: the catalogue feed contract between the movies service and the services that keep a
 * projection of its catalogue (channel, path, event kinds, payload). No dependencies, so both sides take it freely.
 */
export {
  CATALOGUE_EVENTS_CHANNEL,
  CATALOGUE_FEED_PATH,
  CATALOGUE_FEED_DEFAULT_LIMIT,
  CATALOGUE_FEED_MAX_LIMIT,
  latestEventPerMovie,
  type CatalogueEventKind,
  type CatalogueFeedEvent,
  type CatalogueFeedPage,
} from '../catalogue-feed.js';

import { useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { MovieCard } from '../movie/movie-card';
import { ErrorMessage } from '../ui/error-message';
import { Loading } from '../ui/loading';

const ContinueWatchingQuery = graphql(`
  query ContinueWatching {
    me {
      id
      continueWatching(first: 12) {
        edges {
          node {
            id
            positionSeconds
            durationSeconds
            movie {
              id
              title
              ...MovieCard
            }
          }
        }
      }
    }
  }
`);

const minutes = (seconds: number) => Math.max(1, Math.round(seconds / 60));

/** The signed-in viewer's unfinished films, most recent first; each opens the player where they stopped. */
export function ContinueWatchingRow() {
  // Always asked again: progress changes with every film watched, on any device.
  const { data, error, loading, refetch } = useQuery(ContinueWatchingQuery, { fetchPolicy: 'cache-and-network' });
  const edges = data?.me?.continueWatching.edges ?? [];
  if (loading && !data) return <Loading label="Loading what you were watching…" />;
  if (error && !data) return <ErrorMessage error={error} retry={() => void refetch()} />;
  if (edges.length === 0) return null;
  return (
    <section className="row" aria-labelledby="continue-watching">
      <h2 id="continue-watching">Continue watching</h2>
      <ul className="row-items" data-testid="continue-watching">
        {edges.map(({ node }) => {
          const left = node.durationSeconds - node.positionSeconds;
          const percent = Math.min(100, (100 * node.positionSeconds) / node.durationSeconds);
          return (
            <li key={node.id}>
              <MovieCard movie={node.movie} to={`/movie/${node.movie.id}/watch`}>
                <span
                  className="continue-progress"
                  role="progressbar"
                  aria-label={`${node.movie.title}: ${minutes(left)} min left`}
                  aria-valuenow={Math.round(percent)}
                  aria-valuemin={0}
                  aria-valuemax={100}
                >
                  <span style={{ width: `${percent}%` }} />
                </span>
              </MovieCard>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

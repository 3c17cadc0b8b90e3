import { useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { MovieCard } from '../movie/movie-card';
import { ErrorMessage } from '../ui/error-message';
import { Loading } from '../ui/loading';

const TopRatedRowQuery = graphql(`
  query TopRatedRow($genre: String!) {
    topRatedMovies(genre: $genre, limit: 12) {
      id
      ...MovieCard
    }
  }
`);

/** One home-page row: the best films of a genre, scrolling sideways. */
export function TopRatedRow({ genre }: { genre: string }) {
  const { data, error, loading, refetch } = useQuery(TopRatedRowQuery, { variables: { genre } });
  const headingId = `row-${genre.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section className="row" aria-labelledby={headingId}>
      <h2 id={headingId}>Top rated {genre}</h2>
      {loading && !data ? (
        <Loading />
      ) : error && !data ? (
        <ErrorMessage error={error} retry={() => void refetch()} />
      ) : data?.topRatedMovies.length ? (
        <ul className="row-items">
          {data.topRatedMovies.map((movie) => (
            <li key={movie.id}>
              <MovieCard movie={movie} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No rated films in this genre yet.</p>
      )}
    </section>
  );
}

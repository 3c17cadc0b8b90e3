import { useQuery } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router';
import { graphql } from '../__generated__';
import { MovieCard } from '../movie/movie-card';
import { ErrorMessage } from '../ui/error-message';
import { Loading } from '../ui/loading';

const SearchQuery = graphql(`
  query Search($query: String!) {
    searchMovies(query: $query, first: 12) {
      id
      ...MovieCard
    }
    searchPeople(query: $query, first: 8) {
      id
      name
    }
  }
`);

/** Results for `?q=`: films and people, typo-tolerant on the server ("godfater" finds The Godfather). */
export function SearchPage() {
  const [params] = useSearchParams();
  const query = (params.get('q') ?? '').trim().slice(0, 200);
  const { data, previousData, error, loading } = useQuery(SearchQuery, { variables: { query }, skip: !query });
  const shown = data ?? previousData;
  return (
    <div className="search-page">
      <h1>{query ? <>Results for “{query}”</> : 'Search'}</h1>
      {!query && <p className="muted">Type a film title or a name in the search field.</p>}
      {loading && !shown && <Loading label="Searching…" />}
      {error && <ErrorMessage error={error} />}
      {shown && (
        <div aria-busy={loading}>
          <section aria-labelledby="film-results">
            <h2 id="film-results">Films</h2>
            {shown.searchMovies.length === 0 ? (
              <p className="muted">No films found.</p>
            ) : (
              <ul className="grid" data-testid="movie-results">
                {shown.searchMovies.map((movie) => (
                  <li key={movie.id}>
                    <MovieCard movie={movie} />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="people-results">
            <h2 id="people-results">People</h2>
            {shown.searchPeople.length === 0 ? (
              <p className="muted">No people found.</p>
            ) : (
              <ul className="people">
                {shown.searchPeople.map((person) => (
                  <li key={person.id}>
                    <Link to={`/person/${person.id}`}>{person.name}</Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </div>
  );
}

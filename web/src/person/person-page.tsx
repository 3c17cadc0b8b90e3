import { useQuery } from '@apollo/client/react';
import { useParams } from 'react-router';
import { graphql } from '../__generated__';
import { MovieCard } from '../movie/movie-card';
import { ErrorMessage, errorCodes } from '../ui/error-message';
import { Loading } from '../ui/loading';

const PersonPageQuery = graphql(`
  query PersonPage($id: ID!) {
    person(id: $id) {
      id
      name
      movies {
        id
        ...MovieCard
      }
    }
  }
`);

export function PersonPage() {
  const { id = '' } = useParams();
  const { data, error, loading, refetch } = useQuery(PersonPageQuery, { variables: { id } });
  if (loading && !data) return <Loading label="Loading…" />;
  const person = data?.person;
  // An unknown id is answered NOT_FOUND: say so plainly, with nothing to retry; other failures can be retried.
  if (!person)
    return error && !errorCodes(error).includes('NOT_FOUND') ? (
      <ErrorMessage error={error} retry={() => void refetch()} />
    ) : (
      <p>We could not find that person.</p>
    );
  return (
    <article className="person-page">
      <h1>{person.name}</h1>
      <h2>Films</h2>
      {person.movies.length === 0 ? (
        <p className="muted">No films in the catalogue.</p>
      ) : (
        <ul className="grid">
          {person.movies.map((movie) => (
            <li key={movie.id}>
              <MovieCard movie={movie} />
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

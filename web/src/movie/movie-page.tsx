import { useQuery } from '@apollo/client/react';
import { Link, useParams } from 'react-router';
import { graphql } from '../__generated__';
import { ErrorMessage, errorCodes } from '../ui/error-message';
import { Loading } from '../ui/loading';
import { MoviePoster } from './movie-poster';
import { RatingControl } from './rating-control';

const MoviePageQuery = graphql(`
  query MoviePage($id: ID!) {
    movie(id: $id) {
      id
      title
      year
      genres
      overview
      posterUrl
      averageRating
      ratingCount
      myRating
      directors {
        id
        name
      }
      cast {
        order
        character
        person {
          id
          name
        }
      }
    }
  }
`);

const CAST_SHOWN = 12;

export function MoviePage() {
  const { id = '' } = useParams();
  const { data, error, loading, refetch } = useQuery(MoviePageQuery, { variables: { id } });
  if (loading && !data) return <Loading label="Loading the film…" />;
  const movie = data?.movie;
  // An unknown id is answered NOT_FOUND: say so plainly, with nothing to retry; other failures can be retried.
  if (!movie)
    return error && !errorCodes(error).includes('NOT_FOUND') ? (
      <ErrorMessage error={error} retry={() => void refetch()} />
    ) : (
      <p>We could not find that film.</p>
    );
  return (
    <article className="movie-page">
      <MoviePoster title={movie.title} year={movie.year} posterUrl={movie.posterUrl} size="large" />
      <div className="movie-details">
        <h1>
          {movie.title} {movie.year && <span className="muted">({movie.year})</span>}
        </h1>
        {movie.genres.length > 0 && (
          <ul className="genres" aria-label="Genres">
            {movie.genres.map((genre) => (
              <li key={genre}>{genre}</li>
            ))}
          </ul>
        )}
        <p className="average" data-testid="average-rating">
          {movie.averageRating != null ? (
            <>
              <strong>★ {movie.averageRating.toFixed(2)}</strong> average from <span data-testid="rating-count">{movie.ratingCount}</span>{' '}
              {movie.ratingCount === 1 ? 'vote' : 'votes'}
            </>
          ) : (
            <>No votes yet</>
          )}
        </p>
        <Link className="button play" to={`/movie/${movie.id}/watch`}>
          ▶ Play
        </Link>
        <RatingControl movieId={movie.id} myRating={movie.myRating} />
        {movie.overview && (
          <section aria-labelledby="overview-heading">
            <h2 id="overview-heading">Overview</h2>
            <p>{movie.overview}</p>
            <p className="attribution">
              Overview text from Wikipedia, available under{' '}
              <a href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license noreferrer" target="_blank">
                CC BY-SA 4.0
              </a>
              .
            </p>
          </section>
        )}
        {movie.directors.length > 0 && (
          <p>
            Directed by{' '}
            {movie.directors.map((person, i) => (
              <span key={person.id}>
                {i > 0 && ', '}
                <Link to={`/person/${person.id}`}>{person.name}</Link>
              </span>
            ))}
          </p>
        )}
        {movie.cast.length > 0 && (
          <section aria-labelledby="cast-heading">
            <h2 id="cast-heading">Cast</h2>
            <ul className="cast">
              {[...movie.cast]
                .sort((a, b) => a.order - b.order)
                .slice(0, CAST_SHOWN)
                .map((credit) => (
                  <li key={`${credit.person.id}-${credit.order}`}>
                    <Link to={`/person/${credit.person.id}`}>{credit.person.name}</Link>
                    {credit.character && <span className="muted"> as {credit.character}</span>}
                  </li>
                ))}
            </ul>
          </section>
        )}
      </div>
    </article>
  );
}

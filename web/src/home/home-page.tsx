import { useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { useSession } from '../auth/use-session';
import { ErrorMessage } from '../ui/error-message';
import { Loading } from '../ui/loading';
import { ContinueWatchingRow } from './continue-watching-row';
import { TopRatedRow } from './top-rated-row';

const HomeGenresQuery = graphql(`
  query HomeGenres {
    genres
  }
`);

/** Genres shown first when the catalogue has them; otherwise the first few it has. */
const PREFERRED_GENRES = ['Drama', 'Comedy', 'Action', 'Thriller', 'Science Fiction', 'Animation'];
const ROWS = 4;

export function pickGenres(genres: readonly string[]): string[] {
  const preferred = PREFERRED_GENRES.filter((genre) => genres.includes(genre));
  return [...preferred, ...genres.filter((genre) => !preferred.includes(genre))].slice(0, ROWS);
}

export function HomePage() {
  const session = useSession();
  const { data, error, loading, refetch } = useQuery(HomeGenresQuery);
  return (
    <div className="home">
      <h1 className="visually-hidden">Home</h1>
      {session && <ContinueWatchingRow key={session.userId} />}
      {loading && !data ? <Loading label="Loading the catalogue…" /> : error && !data ? <ErrorMessage error={error} retry={() => void refetch()} /> : null}
      {data && pickGenres(data.genres).map((genre) => <TopRatedRow key={genre} genre={genre} />)}
    </div>
  );
}

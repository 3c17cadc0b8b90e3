import { useQuery } from '@apollo/client/react';
import { useRef } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { graphql } from '../__generated__';
import { useSession } from '../auth/use-session';
import { ErrorMessage } from '../ui/error-message';
import { Loading } from '../ui/loading';
import { useHlsPlayback, type PlaybackProblem } from './use-hls-playback';

const WatchMovieQuery = graphql(`
  query WatchMovie($id: ID!) {
    movie(id: $id) {
      id
      title
      stream {
        url
        expiresAt
      }
    }
  }
`);

const PROBLEMS: Record<PlaybackProblem, string> = {
  unsupported: 'This browser cannot play HLS video.',
  network: 'Streaming is unavailable right now: the video server cannot be reached.',
  media: 'The video could not be decoded.',
};

export function PlayerPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const location = useLocation();
  // A stream URL is signed for this viewer and expires: always ask for a fresh one.
  const { data, error, loading, refetch } = useQuery(WatchMovieQuery, { variables: { id }, fetchPolicy: 'network-only', skip: !session });
  if (!session) {
    return (
      <p>
        <Link to="/login" state={{ from: location.pathname }}>Log in</Link> to watch this film.
      </p>
    );
  }
  if (loading && !data) return <Loading label="Preparing the stream…" />;
  const movie = data?.movie;
  return (
    <div className="player-page">
      <p>
        <Link to={`/movie/${id}`}>← Back to {movie?.title ?? 'the film'}</Link>
      </p>
      {movie && <h1>{movie.title}</h1>}
      {movie?.stream ? (
        <Player url={movie.stream.url} title={movie.title} onRetry={() => void refetch()} />
      ) : (
        <div className="player-unavailable">{error ? <ErrorMessage error={error} retry={() => void refetch()} /> : <p role="alert">Streaming is unavailable right now.</p>}</div>
      )}
    </div>
  );
}

function Player({ url, title, onRetry }: { url: string; title: string; onRetry: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const problem = useHlsPlayback(video, url, 0);
  return (
    <div className="player">
      <video ref={video} controls playsInline aria-label={`Video: ${title}`} />
      {problem && (
        <div className="error" role="alert">
          <p>{PROBLEMS[problem]}</p>
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}

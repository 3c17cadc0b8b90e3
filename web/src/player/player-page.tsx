import { useQuery } from '@apollo/client/react';
import { useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { graphql } from '../__generated__';
import { useSession } from '../auth/use-session';
import { ErrorMessage } from '../ui/error-message';
import { Loading } from '../ui/loading';
import { useHlsPlayback, type PlaybackProblem } from './use-hls-playback';
import { useProgressRecorder } from './use-progress-recorder';

const WatchMovieQuery = graphql(`
  query WatchMovie($id: ID!) {
    movie(id: $id) {
      id
      title
      stream {
        url
        expiresAt
      }
      myProgress {
        id
        positionSeconds
        watched
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
        <Link to="/login" state={{ from: location.pathname }}>
          Log in
        </Link>{' '}
        to watch this film.
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
        <Player
          movieId={movie.id}
          url={movie.stream.url}
          title={movie.title}
          // A finished film starts over; otherwise pick up where the viewer stopped.
          startAt={movie.myProgress && !movie.myProgress.watched ? movie.myProgress.positionSeconds : 0}
          onRetry={() => void refetch()}
        />
      ) : (
        <div className="player-unavailable">
          {error ? <ErrorMessage error={error} retry={() => void refetch()} /> : <p role="alert">Streaming is unavailable right now.</p>}
        </div>
      )}
    </div>
  );
}

function Player({ movieId, url, title, startAt, onRetry }: { movieId: string; url: string; title: string; startAt: number; onRetry: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  // Where to start is decided once: saved progress updates the cached film while it plays, which must not seek.
  const [initialPosition] = useState(startAt);
  const problem = useHlsPlayback(video, url, initialPosition);
  useProgressRecorder(video, movieId);
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

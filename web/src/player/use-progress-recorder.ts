import { useMutation } from '@apollo/client/react';
import { useEffect, type RefObject } from 'react';
import { graphql } from '../__generated__';
import { currentToken } from '../auth/token-store';

const RecordProgressMutation = graphql(`
  mutation RecordProgress($movieId: ID!, $positionSeconds: Float!, $durationSeconds: Float!) {
    recordProgress(movieId: $movieId, positionSeconds: $positionSeconds, durationSeconds: $durationSeconds) {
      id
      positionSeconds
      durationSeconds
      watched
      updatedAt
      movie {
        id
      }
    }
  }
`);

/** How often the position is saved while playing; a crash or a closed tab loses at most this much. */
export const PROGRESS_INTERVAL_MS = 5_000;

/**
 * Saves where the viewer is in the film: every few seconds while it plays, at once on pause, and when they leave
 * (another page of the app, or the tab closing, through a keep-alive request that outlives the page). The position
 * is followed through `timeupdate`, because by the time the page unmounts the player has already let go of the
 * video; nothing is sent before the duration is known, and the periodic save skips an unchanged position.
 */
export function useProgressRecorder(video: RefObject<HTMLVideoElement | null>, movieId: string): void {
  const [record] = useMutation(RecordProgressMutation);

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    // Saved as the viewer who pressed Play: logging out while the film plays unmounts the player after the session
    // is gone, and that last save must still reach the viewer's own progress, not be refused as UNAUTHENTICATED.
    const token = currentToken();
    const auth = token ? { headers: { authorization: `Bearer ${token}` } } : {};
    let position = -1;
    let duration = 0;
    let lastSent = -1;
    const track = () => {
      if (Number.isFinite(element.duration) && element.duration > 0 && element.currentTime > 0) {
        duration = element.duration;
        position = Math.min(element.currentTime, duration);
      }
    };
    const save = (leaving: boolean) => {
      if (position < 0 || duration <= 0) return;
      if (!leaving && Math.abs(lastSent - position) < 1) return;
      lastSent = position;
      void record({
        variables: { movieId, positionSeconds: position, durationSeconds: duration },
        context: { ...auth, fetchOptions: { keepalive: true } },
        // Leaving for the home page: its Continue watching row must show this position, not the one before.
        ...(leaving ? { refetchQueries: ['ContinueWatching'] } : {}),
      }).catch(() => undefined /* best effort: the next save carries the position */);
    };
    const timer = setInterval(() => {
      if (!element.paused) save(false);
    }, PROGRESS_INTERVAL_MS);
    const onPause = () => {
      track();
      save(false);
    };
    const onHide = () => save(true);
    element.addEventListener('timeupdate', track);
    element.addEventListener('pause', onPause);
    window.addEventListener('pagehide', onHide);
    return () => {
      clearInterval(timer);
      element.removeEventListener('timeupdate', track);
      element.removeEventListener('pause', onPause);
      window.removeEventListener('pagehide', onHide);
      save(true);
    };
  }, [video, movieId, record]);
}

import Hls from 'hls.js';
import { useEffect, useState, type RefObject } from 'react';

export type PlaybackProblem = 'unsupported' | 'network' | 'media';

/**
 * Plays an HLS master playlist in `video` with hls.js and its default adaptive bitrate (it picks the rendition from
 * measured bandwidth and switches as that changes), starting at `startAt` seconds. Browsers with native HLS
 * (Safari) get the URL directly. Reports fatal problems so the page can say so instead of showing a frozen frame.
 */
export function useHlsPlayback(video: RefObject<HTMLVideoElement | null>, url: string | undefined, startAt: number): PlaybackProblem | null {
  const [problem, setProblem] = useState<PlaybackProblem | null>(null);
  useEffect(() => {
    const element = video.current;
    if (!element || !url) return;
    setProblem(null);
    const play = () => void element.play().catch(() => undefined /* autoplay refused: the controls are there */);
    if (Hls.isSupported()) {
      const hls = new Hls({ startPosition: startAt > 0 ? startAt : -1 });
      hls.on(Hls.Events.MANIFEST_PARSED, play);
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
          return;
        }
        setProblem(data.type === Hls.ErrorTypes.NETWORK_ERROR ? 'network' : 'media');
      });
      hls.loadSource(url);
      hls.attachMedia(element);
      return () => hls.destroy();
    }
    if (element.canPlayType('application/vnd.apple.mpegurl')) {
      element.src = url;
      const seek = () => {
        if (startAt > 0) element.currentTime = startAt;
        play();
      };
      const fail = () => setProblem('network');
      element.addEventListener('loadedmetadata', seek, { once: true });
      element.addEventListener('error', fail);
      return () => {
        element.removeEventListener('error', fail);
        element.removeAttribute('src');
        element.load();
      };
    }
    setProblem('unsupported');
    return undefined;
  }, [video, url, startAt]);
  return problem;
}

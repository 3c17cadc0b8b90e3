import { useState } from 'react';

/** A stable hue per title, so each placeholder looks different but never changes between renders. */
function hueOf(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return hash % 360;
}

/**
 * The poster, drawn over a generated placeholder (title on a colour derived from it). The placeholder is all that
 * shows when the film has no poster or the image cannot load (offline, blocked, 404), so layout never depends on a
 * remote server.
 */
export function MoviePoster({
  title,
  year,
  posterUrl,
  size = 'small',
}: {
  title: string;
  year?: number | null;
  posterUrl?: string | null;
  size?: 'small' | 'large';
}) {
  const [failed, setFailed] = useState(false);
  const hue = hueOf(title);
  return (
    <div className={`poster poster-${size}`} style={{ background: `linear-gradient(160deg, hsl(${hue} 45% 32%), hsl(${(hue + 40) % 360} 50% 16%))` }}>
      <span className="poster-title" aria-hidden="true">
        {title}
        {year ? <small>{year}</small> : null}
      </span>
      {posterUrl && !failed && <img src={posterUrl} alt="" loading="lazy" referrerPolicy="no-referrer" onError={() => setFailed(true)} />}
    </div>
  );
}

import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { getFragmentData, graphql, type FragmentType } from '../__generated__';
import { MoviePoster } from './movie-poster';

export const MovieCardFragment = graphql(`
  fragment MovieCard on Movie {
    id
    title
    year
    posterUrl
    averageRating
  }
`);

/** A film in a row or a list: poster, title, year and average, linking to its page (or to `to`). */
export function MovieCard(props: { movie: FragmentType<typeof MovieCardFragment>; to?: string; children?: ReactNode }) {
  const movie = getFragmentData(MovieCardFragment, props.movie);
  return (
    <Link className="movie-card" to={props.to ?? `/movie/${movie.id}`}>
      <MoviePoster title={movie.title} year={movie.year} posterUrl={movie.posterUrl} />
      <span className="movie-card-title">{movie.title}</span>
      <span className="movie-card-meta">
        {movie.year ?? '—'}
        {movie.averageRating != null && <> · ★ {movie.averageRating.toFixed(1)}</>}
      </span>
      {props.children}
    </Link>
  );
}

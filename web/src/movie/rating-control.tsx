import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { Link } from 'react-router';
import { graphql } from '../__generated__';
import { useSession } from '../auth/use-session';
import { ErrorMessage } from '../ui/error-message';

const RateMovieMutation = graphql(`
  mutation RateMovie($movieId: ID!, $score: Int!) {
    rateMovie(movieId: $movieId, score: $score) {
      score
      movie {
        id
        averageRating
        ratingCount
        myRating
      }
    }
  }
`);

const SCORES = Array.from({ length: 10 }, (_, i) => i + 1);

/**
 * The viewer's own score, 1 to 10, as a radio group (arrow keys move, as in any radio group). The mutation answers
 * with the film's new average, count and score, which the normalized cache puts everywhere the film shows.
 */
export function RatingControl({ movieId, myRating }: { movieId: string; myRating: number | null | undefined }) {
  const session = useSession();
  const [rate, { loading, error }] = useMutation(RateMovieMutation);
  const [pending, setPending] = useState<number | null>(null);
  if (!session) {
    return (
      <p className="rating-control">
        <Link to="/login">Log in</Link> to rate this film.
      </p>
    );
  }
  const selected = pending ?? myRating ?? null;
  const choose = (score: number) => {
    setPending(score);
    rate({ variables: { movieId, score } })
      .catch(() => undefined)
      .finally(() => setPending(null));
  };
  return (
    <fieldset className="rating-control" disabled={loading}>
      <legend>Your rating{selected ? `: ${selected}/10` : ''}</legend>
      <div className="stars">
        {SCORES.map((score) => (
          <label key={score} className={selected !== null && score <= selected ? 'star on' : 'star'}>
            <input
              type="radio"
              name={`rating-${movieId}`}
              value={score}
              checked={selected === score}
              onChange={() => choose(score)}
              aria-label={`${score} out of 10`}
            />
            <span aria-hidden="true">★</span>
          </label>
        ))}
      </div>
      {error && <ErrorMessage error={error} />}
    </fieldset>
  );
}

import { allocateRatingCounts } from './allocate-rating-counts.js';
import type { CatalogueRating, CatalogueRatings } from './catalogue-data.js';
import { Random } from './random.js';
import { ZipfSampler } from './zipf-sampler.js';

export interface RatingPlan {
  /** The films to rate, most popular first: popularity decides how many ratings each gets. */
  movieIdsByPopularity: readonly number[];
  users: number;
  ratings: number;
  random: Random;
}

export interface GeneratedRatings {
  userIds: string[];
  ratings: CatalogueRatings;
}

/** Popular films get most votes; 0.9 puts about 60% of 120,000 votes on the top 10% of 5,000 films. */
const popularityExponent = 0.9;
/** Some users rate a lot, most a little. */
const userActivityExponent = 0.7;
/** No film is rated by more than half the users, so drawing distinct users stays cheap. */
const maxShareOfUsers = 0.5;

/** The id of the user at `index` (0-based), in the text form the token issuer uses: `user-000001`. */
export function seedUserId(index: number): string {
  return `user-${String(index + 1).padStart(6, '0')}`;
}

/** How many ratings fit: a film is rated by at most half the users (one user when there is only one). */
export function ratingCapacity(movies: number, users: number): number {
  return movies * ratersCap(users);
}

const ratersCap = (users: number): number => Math.min(users, Math.max(1, Math.floor(users * maxShareOfUsers)));

/**
 * Synthetic ratings with the skew of a real service, shared by the seed and the Wikipedia import (which has no
 * ratings of its own).
 *
 * Each film gets a latent quality (well-known films a little better), each user a bias, each vote some noise, so
 * averages differ meaningfully and rankings are worth testing; popularity is Zipf-like, so a few films hold most
 * votes. Scores are clamped to 1–10 and a user rates a film at most once. The ratings themselves are drawn when
 * read, from a generator seeded here, so every read yields the same rows, and ten million take 90 MB of typed arrays
 * rather than gigabytes of objects.
 */
export function generateRatings(plan: RatingPlan): GeneratedRatings {
  const { random, movieIdsByPopularity } = plan;
  const userIds = Array.from({ length: plan.users }, (_, index) => seedUserId(index));
  const userBias = userIds.map(() => random.normal(0, 0.8));
  const usersByActivity = random.shuffle(userIds.map((_, index) => index));
  const activity = new ZipfSampler(plan.users, userActivityExponent);
  const counts = allocateRatingCounts(plan.ratings, movieIdsByPopularity.length, ratersCap(plan.users), popularityExponent);
  const rowsSeed = random.int(0, 0xffff_ffff);

  /** Every (user, film, score) as typed arrays: 9 bytes a rating, where objects would take ten times more. */
  function draw(): { users: Int32Array; movies: Int32Array; scores: Uint8Array } {
    const next = new Random(rowsSeed);
    const users = new Int32Array(plan.ratings);
    const movies = new Int32Array(plan.ratings);
    const scores = new Uint8Array(plan.ratings);
    const raters = new Set<number>();
    let at = 0;
    for (const [rank, movieId] of movieIdsByPopularity.entries()) {
      const quality = next.normal(6.2, 1.2) + 0.8 * (1 - rank / movieIdsByPopularity.length);
      raters.clear();
      while (raters.size < (counts[rank] ?? 0)) raters.add(usersByActivity[activity.sample(next)] ?? 0);
      for (const user of raters) {
        users[at] = user;
        movies[at] = movieId;
        scores[at] = Math.min(10, Math.max(1, Math.round(quality + (userBias[user] ?? 0) + next.normal(0, 1.3))));
        at++;
      }
    }
    return { users, movies, scores };
  }

  // User by user, in user id order: the ratings table's keys start with the user id, and PostgreSQL builds them
  // from presorted rows several times faster (a counting sort here costs a fraction of a second).
  function* rows(): Generator<CatalogueRating> {
    const { users, movies, scores } = draw();
    const firstOfUser = new Int32Array(plan.users + 1);
    for (const user of users) firstOfUser[user + 1]! += 1;
    for (let user = 0; user < plan.users; user++) firstOfUser[user + 1]! += firstOfUser[user]!;
    const order = new Int32Array(users.length);
    const fill = firstOfUser.slice(0, plan.users);
    for (let i = 0; i < users.length; i++) order[fill[users[i]!]!++] = i;
    for (const i of order) yield { userId: userIds[users[i]!]!, movieId: movies[i]!, score: scores[i]! };
  }
  return { userIds, ratings: { count: plan.ratings, rows } };
}

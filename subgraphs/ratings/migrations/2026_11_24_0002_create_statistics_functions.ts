import { sql, type Kysely } from 'kysely';

/**
 * The weighted rating and the from-scratch recomputation live in the schema as SQL functions so that the service's
 * write path, the bulk seed and the consistency tests share one definition of each.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Bayesian (IMDb-style) weighted rating: pulls a movie with few votes towards the prior mean, so that two votes
  // of 10 do not outrank five thousand votes of 9.
  await sql`
    create function weighted_score(rating_sum bigint, rating_count integer) returns double precision
    language sql stable parallel safe as $$
      select (rating_sum + p.weight * p.mean) / (rating_count + p.weight) from rating_prior p
    $$`.execute(db);

  // Rebuilds statistics and genre rankings from the ratings and the catalogue projection. Used after bulk loads,
  // after the prior changes, and by tests as the reference the incremental path must equal.
  await sql`
    create function recompute_statistics(reestimate_prior boolean default true) returns void
    language plpgsql as $$
    begin
      if reestimate_prior then
        update rating_prior set mean = coalesce((select avg(score)::double precision from ratings), mean);
      end if;
      delete from movie_rating_stats;
      insert into movie_rating_stats (movie_id, rating_count, rating_sum, histogram, weighted_score)
      select r.movie_id, count(*)::integer, sum(r.score),
             array[count(*) filter (where r.score = 1), count(*) filter (where r.score = 2),
                   count(*) filter (where r.score = 3), count(*) filter (where r.score = 4),
                   count(*) filter (where r.score = 5), count(*) filter (where r.score = 6),
                   count(*) filter (where r.score = 7), count(*) filter (where r.score = 8),
                   count(*) filter (where r.score = 9), count(*) filter (where r.score = 10)]::integer[],
             weighted_score(sum(r.score), count(*)::integer)
        from ratings r group by r.movie_id;
      perform rebuild_genre_rankings();
    end $$`.execute(db);

  await sql`
    create function rebuild_genre_rankings() returns void
    language sql as $$
      delete from genre_rankings;
      insert into genre_rankings (genre, movie_id, weighted_score, rating_count)
      select g.genre, c.movie_id,
             coalesce(s.weighted_score, weighted_score(0, 0)), coalesce(s.rating_count, 0)
        from catalogue_movies c
        cross join lateral unnest(c.genres) as g(genre)
        left join movie_rating_stats s on s.movie_id = c.movie_id;
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function recompute_statistics(boolean)`.execute(db);
  await sql`drop function rebuild_genre_rankings()`.execute(db);
  await sql`drop function weighted_score(bigint, integer)`.execute(db);
}

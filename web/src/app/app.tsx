import { useApolloClient } from '@apollo/client/react';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Link, NavLink, Route, Routes, useLocation } from 'react-router';
import { AuthPage } from '../auth/auth-page';
import { setSession } from '../auth/token-store';
import { useSession } from '../auth/use-session';
import { HomePage } from '../home/home-page';
import { MoviePage } from '../movie/movie-page';
import { PersonPage } from '../person/person-page';
import { SearchBox } from '../search/search-box';
import { SearchPage } from '../search/search-page';
import { Loading } from '../ui/loading';

/** The player brings hls.js (the largest dependency): loaded when a film is played, not on the first page. */
const PlayerPage = lazy(() => import('../player/player-page').then((module) => ({ default: module.PlayerPage })));

export function App() {
  return (
    <BrowserRouter>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/movie/:id" element={<MoviePage />} />
          <Route
            path="/movie/:id/watch"
            element={
              <Suspense fallback={<Loading label="Loading the player…" />}>
                <PlayerPage />
              </Suspense>
            }
          />
          <Route path="/person/:id" element={<PersonPage />} />
          <Route path="/login" element={<AuthPage mode="login" />} />
          <Route path="/signup" element={<AuthPage mode="signup" />} />
          <Route
            path="*"
            element={
              <p>
                There is no page here. <Link to="/">Go home</Link>.
              </p>
            }
          />
        </Routes>
      </main>
    </BrowserRouter>
  );
}

function Header() {
  const session = useSession();
  const client = useApolloClient();
  const location = useLocation();
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        Cinema
      </Link>
      <SearchBox />
      <nav aria-label="Account">
        {session ? (
          <>
            <span className="muted account">{session.email}</span>
            <button
              type="button"
              onClick={() => {
                setSession(null);
                // Drop everything fetched as this viewer (their ratings, their progress).
                void client.clearStore();
              }}
            >
              Log out
            </button>
          </>
        ) : (
          <>
            <NavLink to="/login" state={{ from: location.pathname + location.search }}>
              Log in
            </NavLink>
            <NavLink to="/signup" className="button" state={{ from: location.pathname + location.search }}>
              Sign up
            </NavLink>
          </>
        )}
      </nav>
    </header>
  );
}

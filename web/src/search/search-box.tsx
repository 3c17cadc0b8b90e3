import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { useDebouncedValue } from './use-debounced-value';

/** Quiet time after the last keystroke before searching. */
export const SEARCH_DEBOUNCE_MS = 250;

/**
 * The header's search field: results show as you type (on the search page, after a short pause), and the query is
 * in the URL, so a search can be shared, reloaded and left with Back. The field stays mounted across pages, so
 * going to the search page never takes the focus away mid-word.
 */
export function SearchBox() {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const onSearchPage = location.pathname === '/search';
  const [text, setText] = useState(onSearchPage ? (params.get('q') ?? '') : '');
  const debounced = useDebouncedValue(text, SEARCH_DEBOUNCE_MS);
  const typed = useRef(false);

  useEffect(() => {
    if (!typed.current) return;
    const query = debounced.trim();
    // One history entry per search, not per pause in typing.
    if (query) void navigate(`/search?q=${encodeURIComponent(query)}`, { replace: onSearchPage });
    // Only the typed text drives navigation; moving between pages must not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);

  return (
    <form
      role="search"
      className="search-box"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim()) void navigate(`/search?q=${encodeURIComponent(text.trim())}`);
      }}
    >
      <label htmlFor="search" className="visually-hidden">
        Search films and people
      </label>
      <input
        id="search"
        type="search"
        placeholder="Search films and people"
        autoComplete="off"
        value={text}
        onChange={(event) => {
          typed.current = true;
          setText(event.target.value);
        }}
      />
    </form>
  );
}

/**
 * Where the session token lives: in memory, mirrored to localStorage so a reload keeps the viewer signed in. The
 * token is a bearer token for this origin's API only; nothing else on the page reads it.
 */
const STORAGE_KEY = 'cinema.session';

export interface Session {
  token: string;
  expiresAt: string;
  userId: string;
  email: string;
}

let session: Session | null = load();
const listeners = new Set<() => void>();

function load(): Session | null {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return stored && Date.parse(stored.expiresAt) > Date.now() ? stored : null;
  } catch {
    return null;
  }
}

export function currentSession(): Session | null {
  if (session && Date.parse(session.expiresAt) <= Date.now()) setSession(null);
  return session;
}

export function currentToken(): string | null {
  return currentSession()?.token ?? null;
}

export function setSession(next: Session | null): void {
  session = next;
  try {
    if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Private browsing may refuse storage; the session then lasts as long as the tab.
  }
  for (const listener of listeners) listener();
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

import { useSyncExternalStore } from 'react';
import { currentSession, subscribeSession, type Session } from './token-store';

/** The signed-in viewer, or null; re-renders when they sign in or out. */
export function useSession(): Session | null {
  return useSyncExternalStore(subscribeSession, currentSession);
}

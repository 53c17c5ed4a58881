'use client';

import { usePathname, useRouter } from 'next/navigation';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';

import { api, describeError, unwrap, type Schema } from './api';

type User = NonNullable<Schema<'SessionDto'>['user']>;

interface SessionState {
  /** undefined while loading; null when signed out. */
  readonly user: User | null | undefined;
  readonly error: string | null;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** Asks the API who is signed in (GET /api/v1/session, which also gives the client its CSRF token). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();

  const refresh = useCallback(async () => {
    try {
      const session = unwrap(await api().GET('/api/v1/session'));
      setUser(session.user ?? null);
      setError(null);
    } catch (caught) {
      setError(describeError(caught));
      setUser(null);
    }
  }, []);

  const signOut = useCallback(async () => {
    await api().DELETE('/api/v1/session');
    setUser(null);
    router.push('/sign-in');
  }, [router]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return <SessionContext.Provider value={{ user, error, refresh, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/**
 * Who is looking, on pages anyone may read (public repositories and organizations): the
 * signed-in user, null for a visitor, undefined until the session check has answered.
 */
export function useViewer(): User | null | undefined {
  return useSession().user;
}

/** The signed-in user; sends visitors to the sign-in page with `next` set to where they were. */
export function useRequiredUser(): User | undefined {
  const { user } = useSession();
  const router = useRouter();
  const pathname = usePathname();
  useEffect(() => {
    if (user === null) {
      const here = `${pathname}${window.location.search}`;
      router.replace(`/sign-in?next=${encodeURIComponent(here)}`);
    }
  }, [user, router, pathname]);
  return user ?? undefined;
}

'use client';

import { useCallback, useEffect, useState } from 'react';

import { describeError } from './api';

export type Loadable<T> = { state: 'loading' } | { state: 'error'; message: string; status?: number } | { state: 'ready'; data: T };

/** Runs `load` when `key` changes (and on retry); the page renders each state. */
export function useApi<T>(key: string | null, load: () => Promise<T>): [Loadable<T>, () => void] {
  const [value, setValue] = useState<Loadable<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (key === null) return;
    let current = true;
    setValue({ state: 'loading' });
    load().then(
      (data) => current && setValue({ state: 'ready', data }),
      (error: unknown) => current && setValue({ state: 'error', message: describeError(error), status: (error as { status?: number }).status }),
    );
    return () => {
      current = false;
    };
    // `load` is recreated on each render; `key` names what it loads.
  }, [key, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return [value, retry];
}

'use client';

import { useCallback, useState } from 'react';

import { describeError } from './api';

export interface ActionOptions {
  /**
   * The work navigates away or closes its view when it succeeds: stay busy, so that the form
   * cannot be sent twice while the page changes.
   */
  readonly leaving?: boolean;
  /** A message for what the work threw, in place of describeError's. */
  readonly describe?: (caught: unknown) => string;
}

/**
 * What one user action (a form sent, a button pressed) shows: busy while its work runs, then
 * the error it failed with, if any. `run` says whether the work succeeded.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (work: () => Promise<unknown>, options: ActionOptions = {}): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await work();
      if (!options.leaving) setBusy(false);
      return true;
    } catch (caught) {
      setError((options.describe ?? describeError)(caught));
      setBusy(false);
      return false;
    }
  }, []);
  return { busy, error, setError, run };
}

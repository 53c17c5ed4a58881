import type { ReactNode } from 'react';

import styles from './states.module.css';

/** Something is on its way: announced to screen readers, animated only when motion is welcome. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className={styles.loading} role="status" aria-live="polite">
      <span className={styles.spinner} aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** Nothing here yet, and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className={styles.box}>
      <h3>{title}</h3>
      {children}
    </div>
  );
}

/** A failure, its message from the API, and a way to try again. */
export function ErrorState({ title = 'Something went wrong', message, onRetry }: { title?: string; message: string; onRetry?: () => void }) {
  return (
    <div className={`${styles.box} ${styles.error}`} role="alert">
      <h3>{title}</h3>
      <p>{message}</p>
      {onRetry ? (
        <button type="button" className="button button-secondary button-small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

'use client';

import { useState } from 'react';

import styles from './confirm-button.module.css';

/**
 * A destructive action in two steps, inline (no browser dialog): the first click asks
 * `question` with the confirming button focused, the second does it. `name`, when given, is
 * what assistive technology announces instead of the (shorter) visible `label`.
 */
export function ConfirmButton({ label, name, question, confirmLabel = label, onConfirm, disabled }: { label: string; name?: string; question: string; confirmLabel?: string; onConfirm: () => Promise<void> | void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button button-secondary button-small" onClick={() => setAsking(true)} disabled={disabled} aria-label={name}>
        {label}
      </button>
    );
  }
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return (
    <span role="group" aria-label={question} style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 'var(--space-2)', alignItems: 'center' }}>
      <span>{question}</span>
      <button type="button" className={`button button-small ${styles.danger}`} onClick={() => void confirm()} disabled={busy} autoFocus>
        {busy ? 'Working…' : confirmLabel}
      </button>
      <button type="button" className="button button-secondary button-small" onClick={() => setAsking(false)} disabled={busy}>
        Cancel
      </button>
    </span>
  );
}

'use client';

import { useState } from 'react';

/** Copies `text` to the clipboard; says so (also to screen readers). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
    setTimeout(() => setCopied(null), 2000);
  };
  return (
    <button type="button" className="button button-secondary button-small" onClick={() => void copy()} aria-label={label}>
      <span aria-live="polite">{copied === null ? 'Copy' : copied ? 'Copied' : 'Select and copy'}</span>
    </button>
  );
}

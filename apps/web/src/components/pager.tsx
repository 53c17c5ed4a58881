'use client';

import { useCallback, useState } from 'react';

/** Keyset paging: the cursors of the pages seen so far, so "Previous" works too. */
export function useCursorPager(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({ key: resetKey, stack: [undefined] });
  const stack = state.key === resetKey ? state.stack : [undefined];
  const cursor = stack[stack.length - 1];
  const next = useCallback((nextCursor: string) => setState({ key: resetKey, stack: [...stack, nextCursor] }), [resetKey, stack]);
  const previous = useCallback(() => setState({ key: resetKey, stack: stack.slice(0, -1) }), [resetKey, stack]);
  return { cursor, page: stack.length, next, previous, hasPrevious: stack.length > 1 };
}

export function Pager({ page, hasPrevious, nextCursor, onPrevious, onNext }: { page: number; hasPrevious: boolean; nextCursor?: string | null; onPrevious: () => void; onNext: (cursor: string) => void }) {
  if (!hasPrevious && !nextCursor) return null;
  return (
    <nav className="toolbar" aria-label="Pages" style={{ marginTop: 'var(--space-4)', alignItems: 'center' }}>
      <button type="button" className="button button-secondary button-small" onClick={onPrevious} disabled={!hasPrevious}>
        Previous
      </button>
      <span className="muted">Page {page}</span>
      <button type="button" className="button button-secondary button-small" onClick={() => nextCursor && onNext(nextCursor)} disabled={!nextCursor}>
        Next
      </button>
    </nav>
  );
}

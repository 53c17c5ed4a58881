import type { ReactNode } from 'react';

import { formatAgo } from '@/lib/format';

/** "3 minutes ago" (or "in 10 days"), the exact time as its tooltip; `never` when there is none. */
export function TimeAgo({ at, never = <span className="muted">never</span> }: { at: string | null | undefined; never?: ReactNode }) {
  if (!at) return <>{never}</>;
  return (
    <time dateTime={at} title={at}>
      {formatAgo(at)}
    </time>
  );
}

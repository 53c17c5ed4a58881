'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';

/** Searches the repositories the user may see (the repositories page, `?q=`). */
export function SearchForm({ initial = '' }: { initial?: string }) {
  const [q, setQ] = useState(initial);
  const router = useRouter();
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const query = q.trim();
    router.push(query ? `/repositories?q=${encodeURIComponent(query)}` : '/repositories');
  };
  return (
    <form role="search" onSubmit={submit} className="toolbar">
      <div className="field" style={{ flex: 1, minWidth: 200, marginBottom: 0 }}>
        <label htmlFor={id}>Search repositories</label>
        <input id={id} className="input" type="search" name="q" value={q} onChange={(event) => setQ(event.target.value)} placeholder="e.g. acme/app" maxLength={255} />
      </div>
      <button type="submit" className="button">
        Search
      </button>
    </form>
  );
}

'use client';

import { useSearchParams } from 'next/navigation';
import { Suspense } from 'react';

import { RepositoryBrowser } from '@/components/repository-browser';
import { Loading } from '@/components/states';
import { useViewer } from '@/lib/session';

function Browser() {
  const params = useSearchParams();
  const q = params.get('q') ?? '';
  return <RepositoryBrowser key={q} initialQuery={q} />;
}

export default function RepositoriesPage() {
  const viewer = useViewer();
  return (
    <>
      <title>Repositories · Wharf</title>
      <h1>Repositories</h1>
      <p className="muted">{viewer === null ? 'Every public repository. Sign in to see those of your organizations too.' : 'Every repository you may see, in every organization.'}</p>
      <section className="card" aria-label="Repositories">
        <Suspense fallback={<Loading />}>{viewer !== undefined ? <Browser /> : <Loading />}</Suspense>
      </section>
    </>
  );
}

'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useState, type FormEvent } from 'react';

import { api, describeError, PortalError, unwrap } from '@/lib/api';
import { safeNext } from '@/lib/safe-next';
import { useSession } from '@/lib/session';
import { useAction } from '@/lib/use-action';
import { useApi } from '@/lib/use-api';

import styles from './sign-in.module.css';

function messageFor(error: unknown): string {
  if (error instanceof PortalError) {
    if (error.status === 401) return 'The user name or password is wrong.';
    if (error.status === 429) return 'Too many failed sign-ins. Wait a few minutes, then try again.';
  }
  return describeError(error);
}

function SignInForm() {
  const params = useSearchParams();
  const router = useRouter();
  const { refresh } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const target = safeNext(params.get('next'));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(
      async () => {
        unwrap(await api().POST('/api/v1/session', { body: { username, password } }));
        await refresh();
        router.replace(target);
      },
      { leaving: true, describe: messageFor },
    );
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-describedby={error ? 'sign-in-error' : undefined}>
      {error ? (
        <p id="sign-in-error" className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="username">User name</label>
        <input id="username" className="input" name="username" autoComplete="username" required value={username} onChange={(event) => setUsername(event.target.value)} autoFocus />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" className="input" name="password" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
      </div>
      <button type="submit" className="button" disabled={busy || username === '' || password === ''} style={{ width: '100%' }}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

/** Offered only while the administrators let anyone create an account. */
function SignUpLink() {
  const [system] = useApi('system', async () => unwrap(await api().GET('/api/v1/system')));
  if (system.state !== 'ready' || !system.data.selfRegistration) return null;
  return (
    <p className="muted">
      No account yet? <Link href="/sign-up">Create one</Link>.
    </p>
  );
}

export default function SignInPage() {
  return (
    <div className={styles.wrap}>
      <title>Sign in · Wharf</title>
      <section className={`card ${styles.card}`} aria-labelledby="sign-in-heading">
        <h1 id="sign-in-heading">Sign in to Wharf</h1>
        <p className="muted">Use the account you log in with for <code>docker login</code>.</p>
        <Suspense>
          <SignInForm />
        </Suspense>
        <SignUpLink />
        <p className="muted">
          Or <Link href="/repositories">browse the public repositories</Link> without signing in.
        </p>
      </section>
    </div>
  );
}

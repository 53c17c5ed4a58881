'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

import { FormMessage } from '@/components/form-message';
import { ErrorState, Loading } from '@/components/states';
import { api, describeError, PortalError, unwrap } from '@/lib/api';
import { useSession } from '@/lib/session';
import { useAction } from '@/lib/use-action';
import { useApi } from '@/lib/use-api';

import styles from '../sign-in/sign-in.module.css';

function messageFor(error: unknown): string {
  if (error instanceof PortalError) {
    if (error.status === 409) return 'That name is taken: users and organizations share one name space. Choose another.';
    if (error.status === 403) return 'Self-registration has been switched off. Ask an administrator for an account.';
  }
  return describeError(error);
}

/** Creates an account (POST /api/v1/users/register), then signs it in and goes home. */
function SignUpForm() {
  const router = useRouter();
  const { refresh } = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const { busy, error, setError, run } = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== again) return setError('The two passwords differ.');
    return run(
      async () => {
        unwrap(await api().POST('/api/v1/users/register', { body: { name: name.trim(), password, ...(email.trim() ? { email: email.trim() } : {}) } }));
        unwrap(await api().POST('/api/v1/session', { body: { username: name.trim(), password } }));
        await refresh();
        router.replace('/');
      },
      { leaving: true, describe: messageFor },
    );
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <FormMessage error={error} />
      <div className="field">
        <label htmlFor="name">User name</label>
        <input id="name" className="input" name="username" autoComplete="username" required maxLength={255} value={name} onChange={(event) => setName(event.target.value)} aria-describedby="name-hint" autoFocus />
        <span id="name-hint" className="muted">
          Lower-case letters, digits and . _ -; also your namespace (<code>{name.trim() || 'name'}/app</code>).
        </span>
      </div>
      <div className="field">
        <label htmlFor="email">Email (optional)</label>
        <input id="email" className="input" name="email" type="email" autoComplete="email" maxLength={254} value={email} onChange={(event) => setEmail(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" className="input" name="password" type="password" autoComplete="new-password" required minLength={8} value={password} onChange={(event) => setPassword(event.target.value)} aria-describedby="password-hint" />
        <span id="password-hint" className="muted">
          At least 8 characters.
        </span>
      </div>
      <div className="field">
        <label htmlFor="again">Password, again</label>
        <input id="again" className="input" name="password-again" type="password" autoComplete="new-password" required value={again} onChange={(event) => setAgain(event.target.value)} />
      </div>
      <button type="submit" className="button" disabled={busy || name.trim() === '' || password.length < 8 || again === ''} style={{ width: '100%' }}>
        {busy ? 'Creating your account…' : 'Create account'}
      </button>
    </form>
  );
}

export default function SignUpPage() {
  const [system, retry] = useApi('system', async () => unwrap(await api().GET('/api/v1/system')));
  return (
    <div className={styles.wrap}>
      <title>Create an account · Wharf</title>
      <section className={`card ${styles.card}`} aria-labelledby="sign-up-heading">
        <h1 id="sign-up-heading">Create an account</h1>
        {system.state === 'loading' ? <Loading /> : null}
        {system.state === 'error' ? <ErrorState message={system.message} onRetry={retry} /> : null}
        {system.state === 'ready' && system.data.selfRegistration ? <SignUpForm /> : null}
        {system.state === 'ready' && !system.data.selfRegistration ? <p>This registry does not take sign-ups. Ask an administrator for an account.</p> : null}
        <p className="muted">
          Already have an account? <Link href="/sign-in">Sign in</Link>.
        </p>
      </section>
    </div>
  );
}

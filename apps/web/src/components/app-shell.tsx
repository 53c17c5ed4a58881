'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

import { useSession } from '@/lib/session';

import styles from './app-shell.module.css';

const NAV = [
  { href: '/', label: 'Home' },
  { href: '/orgs', label: 'Organizations' },
  { href: '/repositories', label: 'Repositories' },
];

/** What a visitor may browse without signing in: public organizations and repositories. */
const VISITOR_NAV = NAV.slice(1);

function isCurrent(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

/** Header (brand, navigation, who is signed in and sign out, or sign in) and the main landmark. */
export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const { user, signOut } = useSession();
  const bare = pathname === '/sign-in' || pathname === '/sign-up';
  return (
    <>
      <a className={styles.skip} href="#main">
        Skip to content
      </a>
      <header className={styles.header}>
        <div className={styles.bar}>
          <Link href="/" className={styles.brand}>
            Wharf
          </Link>
          {!bare && user ? (
            <>
              <MainNav items={[...NAV, { href: '/account', label: 'Account' }, ...(user.admin ? [{ href: '/admin', label: 'Admin' }] : [])]} pathname={pathname} />
              <div className={styles.user}>
                <span>
                  <span className="visually-hidden">Signed in as </span>
                  {user.name}
                </span>
                <button type="button" className={`button button-small ${styles.signOut}`} onClick={() => void signOut()}>
                  Sign out
                </button>
              </div>
            </>
          ) : null}
          {!bare && user === null ? (
            <>
              <MainNav items={VISITOR_NAV} pathname={pathname} />
              <div className={styles.user}>
                <Link className="button button-small" href={`/sign-in?next=${encodeURIComponent(pathname)}`}>
                  Sign in
                </Link>
              </div>
            </>
          ) : null}
        </div>
      </header>
      <main id="main" className={styles.main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function MainNav({ items, pathname }: { items: readonly { href: string; label: string }[]; pathname: string }) {
  return (
    <nav className={styles.nav} aria-label="Main">
      <ul>
        {items.map((item) => (
          <li key={item.href}>
            <Link href={item.href} aria-current={isCurrent(pathname, item.href) ? 'page' : undefined}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

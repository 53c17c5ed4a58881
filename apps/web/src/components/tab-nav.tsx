import Link from 'next/link';

import styles from './tab-nav.module.css';

export interface TabLink<Id extends string> {
  readonly id: Id;
  readonly label: string;
  readonly href: string;
}

/**
 * The sections of a page as links (`?tab=…`, so each has its own URL), the open one marked
 * with aria-current. It scrolls sideways on its own when a phone is too narrow for it.
 */
export function TabNav<Id extends string>({ label, tabs, current }: { label: string; tabs: readonly TabLink<Id>[]; current: Id }) {
  return (
    <nav aria-label={label} className={styles.tabs}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.id}>
            <Link href={tab.href} aria-current={tab.id === current ? 'page' : undefined} scroll={false}>
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

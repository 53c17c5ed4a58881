import Link from 'next/link';

import type { Schema } from '@/lib/api';

import { TimeAgo } from './time-ago';

/**
 * Organizations, each linked to its page. `mine` shows the caller's role in each; `admin`
 * (every organization, for system administrators) shows when each was created instead.
 */
export function OrganizationTable({ items, caption, variant }: { items: Schema<'OrganizationDto'>[]; caption: string; variant: 'mine' | 'admin' }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            {variant === 'mine' ? <th scope="col">My role</th> : null}
            <th scope="col">Visibility</th>
            <th scope="col">Repositories</th>
            {variant === 'admin' ? <th scope="col">Created</th> : null}
          </tr>
        </thead>
        <tbody>
          {items.map((org) => (
            <tr key={org.name}>
              <td>
                <Link href={`/orgs/${encodeURIComponent(org.name)}`}>{org.name}</Link>
                {org.description ? <div className="muted">{org.description}</div> : null}
              </td>
              {variant === 'mine' ? <td>{org.role ? <span className="badge">{org.role}</span> : <span className="muted">none</span>}</td> : null}
              <td>{org.public ? 'public' : 'private'}</td>
              <td>{org.repositoryCount}</td>
              {variant === 'admin' ? (
                <td>
                  <TimeAgo at={org.createdAt} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import Link from 'next/link';

import type { Schema } from '@/lib/api';
import { repositoryHref } from '@/lib/format';

import { TimeAgo } from './time-ago';

/** Repositories: name (linked), visibility, tags, last push. */
export function RepositoryTable({ items, caption }: { items: Schema<'RepositoryDto'>[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Repository</th>
            <th scope="col">Visibility</th>
            <th scope="col">Tags</th>
            <th scope="col">Last push</th>
          </tr>
        </thead>
        <tbody>
          {items.map((repository) => (
            <tr key={repository.name}>
              <td>
                <Link href={repositoryHref(repository.name)}>{repository.name}</Link>
              </td>
              <td>
                <span className="badge">{repository.public ? 'public' : 'private'}</span>
              </td>
              <td>{repository.tagCount}</td>
              <td>
                <TimeAgo at={repository.lastPushedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

'use client';

import { useId, useState, type FormEvent } from 'react';

import { ConfirmButton } from '@/components/confirm-button';
import { CopyButton } from '@/components/copy-button';
import { expiresAt, expiryComplete, ExpiryField, initialExpiry, type Expiry } from '@/components/expiry-field';
import { FormMessage } from '@/components/form-message';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { api, expectOk, unwrap, type Schema } from '@/lib/api';
import { useAction } from '@/lib/use-action';
import { useApi } from '@/lib/use-api';

import styles from './org.module.css';

type Organization = Schema<'OrganizationDto'>;
type Robot = Schema<'RobotDto'>;
type Action = Schema<'RobotRuleDto'>['actions'][number];
type RuleDraft = { key: number; pattern: string; pull: boolean; push: boolean; delete: boolean };

const ACTIONS: Action[] = ['pull', 'push', 'delete'];

function describeRule(rule: Schema<'RobotRuleDto'>): string {
  return `${rule.pattern}: ${rule.actions.join(', ')}`;
}

/** The secret of a robot, shown once after creation or rotation. */
function SecretPanel({ robot, onDone }: { robot: Schema<'RobotWithSecretDto'>; onDone: () => void }) {
  return (
    <section className={styles.secret} aria-labelledby="robot-secret" role="region">
      <h3 id="robot-secret">Secret of {robot.username}</h3>
      <p>Copy it now: Wharf keeps only a hash and cannot show it again. Log in with:</p>
      <div className={styles.secretLine}>
        <span>User name:</span>
        <code data-field="username">{robot.username}</code>
        <CopyButton text={robot.username} label={`Copy the user name ${robot.username}`} />
      </div>
      <div className={styles.secretLine}>
        <span>Secret:</span>
        <code data-field="secret">{robot.secret}</code>
        <CopyButton text={robot.secret} label="Copy the secret" />
      </div>
      <button type="button" className="button button-secondary button-small" onClick={onDone}>
        I have saved it
      </button>
    </section>
  );
}

function RuleEditor({ rules, onChange }: { rules: RuleDraft[]; onChange: (rules: RuleDraft[]) => void }) {
  const baseId = useId();
  const update = (key: number, change: Partial<RuleDraft>) =>
    onChange(
      rules.map((rule) => {
        if (rule.key !== key) return rule;
        const next = { ...rule, ...change };
        // push and delete imply pull
        if (next.push || next.delete) next.pull = true;
        return next;
      }),
    );
  return (
    <div>
      {rules.map((rule, index) => (
        <fieldset key={rule.key} className={styles.rule}>
          <legend>Permission {index + 1}</legend>
          <div className={`field ${styles.grow}`} style={{ flex: 1, minWidth: 160, marginBottom: 0 }}>
            <label htmlFor={`${baseId}-${rule.key}`}>Repository pattern</label>
            <input
              id={`${baseId}-${rule.key}`}
              className="input mono"
              value={rule.pattern}
              onChange={(event) => update(rule.key, { pattern: event.target.value })}
              placeholder="app/* or **"
              aria-describedby={`${baseId}-help`}
              required
            />
          </div>
          <div className={styles.checks}>
            {ACTIONS.map((action) => (
              <label key={action}>
                <input
                  type="checkbox"
                  checked={rule[action]}
                  disabled={action === 'pull' && (rule.push || rule.delete)}
                  onChange={(event) => update(rule.key, { [action]: event.target.checked })}
                  aria-label={`${action} (permission ${index + 1})`}
                />
                {action}
              </label>
            ))}
          </div>
          {rules.length > 1 ? (
            <button type="button" className="button button-secondary button-small" onClick={() => onChange(rules.filter((r) => r.key !== rule.key))} aria-label={`Remove permission ${index + 1}`}>
              Remove
            </button>
          ) : null}
        </fieldset>
      ))}
      <p id={`${baseId}-help`} className="muted">
        Patterns match repository paths inside the organization: <code>*</code> within one path segment, <code>**</code> across segments. Push and delete include pull.
      </p>
      <button type="button" className="button button-secondary button-small" onClick={() => onChange([...rules, { key: Math.max(0, ...rules.map((r) => r.key)) + 1, pattern: '', pull: true, push: false, delete: false }])}>
        Add a permission
      </button>
    </div>
  );
}

const toDrafts = (rules: Schema<'RobotRuleDto'>[]): RuleDraft[] =>
  rules.map((rule, index) => ({ key: index + 1, pattern: rule.pattern, pull: rule.actions.includes('pull'), push: rule.actions.includes('push'), delete: rule.actions.includes('delete') }));

/**
 * Creates a robot (`robot` absent; its secret is shown once after) or changes one: its
 * description, permission lines and expiry. A robot's name never changes.
 */
function RobotForm({ org, robot, onCreated, onUpdated, onCancel }: { org: string; robot?: Robot; onCreated: (robot: Schema<'RobotWithSecretDto'>) => void; onUpdated: (robot: Robot) => void; onCancel: () => void }) {
  const [name, setName] = useState(robot?.name ?? '');
  const [description, setDescription] = useState(robot?.description ?? '');
  const [rules, setRules] = useState<RuleDraft[]>(robot ? toDrafts(robot.rules) : [{ key: 1, pattern: '**', pull: true, push: false, delete: false }]);
  const [expiry, setExpiry] = useState<Expiry>(initialExpiry(robot ? 'keep' : 'never'));
  const { busy, error, run } = useAction();
  const nameId = useId();
  const descriptionId = useId();
  const titleId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      const lines = rules.map((rule) => ({ pattern: rule.pattern.trim(), actions: ACTIONS.filter((action) => rule[action]) }));
      const until = expiresAt(expiry);
      if (robot) {
        const body = { description: description.trim(), rules: lines, ...(until !== undefined ? { expiresAt: until } : {}) };
        onUpdated(unwrap(await api().PATCH('/api/v1/orgs/{org}/robots/{id}', { params: { path: { org, id: robot.id } }, body })));
      } else {
        const body = { name: name.trim(), rules: lines, ...(description.trim() ? { description: description.trim() } : {}), ...(until ? { expiresAt: until } : {}) };
        onCreated(unwrap(await api().POST('/api/v1/orgs/{org}/robots', { params: { path: { org } }, body })));
      }
    });
  };
  const valid = name.trim() !== '' && rules.length > 0 && rules.every((rule) => rule.pattern.trim() !== '' && (rule.pull || rule.push || rule.delete)) && expiryComplete(expiry);
  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby={titleId} className="card">
      <h3 id={titleId}>{robot ? `Edit ${robot.username}` : 'New robot account'}</h3>
      <FormMessage error={error} />
      <div className={styles.formRow}>
        {robot ? null : (
          <div className={`field ${styles.grow}`}>
            <label htmlFor={nameId}>Name</label>
            <input id={nameId} className="input" value={name} onChange={(event) => setName(event.target.value)} maxLength={64} placeholder="ci" autoComplete="off" required autoFocus />
          </div>
        )}
        <div className={`field ${styles.grow}`}>
          <label htmlFor={descriptionId}>Description (optional)</label>
          <input id={descriptionId} className="input" value={description} onChange={(event) => setDescription(event.target.value)} maxLength={1024} autoFocus={robot !== undefined} />
        </div>
      </div>
      {robot ? null : (
        <p className="muted">
          It logs in as <code>{`robot$${org}+${name.trim() || 'name'}`}</code>.
        </p>
      )}
      <h4>Permissions</h4>
      <RuleEditor rules={rules} onChange={setRules} />
      <div className={styles.expiry}>
        <ExpiryField label="Expires after" value={expiry} onChange={setExpiry} allowDate current={robot ? robot.expiresAt : undefined} />
      </div>
      <p className="muted">An expired robot gets no token; change its expiry here to bring it back.</p>
      <div className={styles.actions}>
        <button type="submit" className="button" disabled={busy || !valid}>
          {busy ? 'Saving…' : robot ? 'Save changes' : 'Create robot account'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RobotRow({ org, robot, canManage, onSecret, onEdit, onChanged }: { org: string; robot: Robot; canManage: boolean; onSecret: (robot: Schema<'RobotWithSecretDto'>) => void; onEdit: () => void; onChanged: (message: string) => void }) {
  const { error, run } = useAction();
  const path = { org, id: robot.id };
  // A failure shows in the row; a dialog that asked for the action closes either way.
  const act = async (work: () => Promise<void>) => {
    await run(work);
  };
  const status = robot.disabled ? 'disabled' : robot.expired ? 'expired' : 'active';
  return (
    <tr>
      <td>
        <code>{robot.username}</code>
        {robot.description ? <div className="muted">{robot.description}</div> : null}
      </td>
      <td>
        <ul style={{ margin: 0, paddingLeft: 'var(--space-4)' }}>
          {robot.rules.map((rule) => (
            <li key={rule.pattern} className="mono">
              {describeRule(rule)}
            </li>
          ))}
        </ul>
      </td>
      <td><TimeAgo at={robot.expiresAt} never="never" /></td>
      <td>
        <TimeAgo at={robot.lastUsedAt} />
      </td>
      <td>
        <span className="badge">{status}</span>
      </td>
      {canManage ? (
        <td>
          <div className={styles.actions}>
            <button type="button" className="button button-secondary button-small" onClick={onEdit}>
              Edit<span className="visually-hidden"> {robot.name}</span>
            </button>
            <ConfirmButton
              label={`Rotate secret of ${robot.name}`}
              question="The old secret stops working at once."
              confirmLabel="Rotate"
              onConfirm={() => act(async () => onSecret(unwrap(await api().POST('/api/v1/orgs/{org}/robots/{id}/secret', { params: { path } }))))}
            />
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() =>
                void act(async () => {
                  unwrap(await api().PATCH('/api/v1/orgs/{org}/robots/{id}', { params: { path }, body: { disabled: !robot.disabled } }));
                  onChanged(`${robot.username} is ${robot.disabled ? 'enabled' : 'disabled'}.`);
                })
              }
            >
              {robot.disabled ? `Enable ${robot.name}` : `Disable ${robot.name}`}
            </button>
            <ConfirmButton
              label={`Delete ${robot.name}`}
              question={`Delete ${robot.username}?`}
              confirmLabel="Delete"
              onConfirm={() =>
                act(async () => {
                  expectOk(await api().DELETE('/api/v1/orgs/{org}/robots/{id}', { params: { path } }));
                  onChanged(`${robot.username} was deleted.`);
                })
              }
            />
          </div>
          <FormMessage error={error} />
        </td>
      ) : null}
    </tr>
  );
}

export function RobotsTab({ org }: { org: Organization }) {
  const canManage = org.permissions.includes('robot:manage');
  const [version, setVersion] = useState(0);
  // The form open above the table: a new robot, or one being edited.
  const [editing, setEditing] = useState<{ robot?: Robot } | null>(null);
  const [secret, setSecret] = useState<Schema<'RobotWithSecretDto'> | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [robots, retry] = useApi(`robots:${org.name}:${version}`, async () => unwrap(await api().GET('/api/v1/orgs/{org}/robots', { params: { path: { org: org.name } } })).items);
  const showSecret = (robot: Schema<'RobotWithSecretDto'>) => {
    setSecret(robot);
    setEditing(null);
    setNotice(null);
    setVersion((n) => n + 1);
  };
  const changed = (message: string) => {
    setNotice(message);
    setVersion((n) => n + 1);
  };
  return (
    <section className="card" aria-labelledby="robots">
      <div className="page-header">
        <h2 id="robots">Robot accounts</h2>
        {canManage && !editing ? (
          <button type="button" className="button" onClick={() => setEditing({})}>
            New robot account
          </button>
        ) : null}
      </div>
      <p className="muted">Robots log in to the registry from CI and deployments, with only the permissions given here.</p>
      {secret ? <SecretPanel robot={secret} onDone={() => setSecret(null)} /> : null}
      {editing ? (
        <RobotForm
          key={editing.robot?.id ?? 'new'}
          org={org.name}
          robot={editing.robot}
          onCreated={showSecret}
          onUpdated={(robot) => {
            setEditing(null);
            changed(`${robot.username} was updated.`);
          }}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      <p className={styles.notice} role="status">
        {notice}
      </p>
      {robots.state === 'loading' ? <Loading label="Loading robot accounts…" /> : null}
      {robots.state === 'error' ? <ErrorState title="Could not load the robot accounts" message={robots.message} onRetry={retry} /> : null}
      {robots.state === 'ready' && robots.data.length === 0 ? (
        <EmptyState title="No robot accounts">
          <p>{canManage ? 'Create one for each pipeline that pushes or pulls, with the least permissions it needs.' : 'Organization admins create robot accounts.'}</p>
        </EmptyState>
      ) : null}
      {robots.state === 'ready' && robots.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Robot accounts of {org.name}</caption>
            <thead>
              <tr>
                <th scope="col">User name</th>
                <th scope="col">Permissions</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                {canManage ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {robots.data.map((robot) => (
                <RobotRow key={`${robot.id}:${version}`} org={org.name} robot={robot} canManage={canManage} onSecret={showSecret} onEdit={() => setEditing({ robot })} onChanged={changed} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

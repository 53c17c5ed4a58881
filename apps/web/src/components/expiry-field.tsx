'use client';

import { useId } from 'react';

import { formatAgo } from '@/lib/format';

/**
 * What the user picked: `keep` (editing: leave the expiry as it is), `never`, a number of
 * days from now, or `date` (the end of `date`, a yyyy-mm-dd day in the user's time zone).
 */
export interface Expiry {
  readonly choice: string;
  readonly date: string;
}

const PRESETS: { days: number; label: string }[] = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: 'One year' },
];

/** yyyy-mm-dd of a moment, in the user's time zone (what <input type="date"> shows). */
function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The start value: `keep` when editing something that exists, else `initial`. */
export function initialExpiry(initial: 'never' | number | 'keep'): Expiry {
  return { choice: String(initial), date: '' };
}

/**
 * The expiresAt an API call takes: an ISO time, null for never, undefined to leave it as it
 * is (editing, unchanged) or while a date is still to be picked.
 */
export function expiresAt(expiry: Expiry, now = Date.now()): string | null | undefined {
  if (expiry.choice === 'keep') return undefined;
  if (expiry.choice === 'never') return null;
  if (expiry.choice === 'date') return expiry.date ? new Date(`${expiry.date}T23:59:59`).toISOString() : undefined;
  return new Date(now + Number(expiry.choice) * 86_400_000).toISOString();
}

/** Whether the choice is complete (a date picked when one is asked for). */
export const expiryComplete = (expiry: Expiry) => expiry.choice !== 'date' || expiry.date !== '';

/**
 * When something stops working: presets in days, `Never`, optionally a day of the user's
 * choosing, and, when `current` is given (editing), `Unchanged` with what that means.
 */
export function ExpiryField({ label, value, onChange, allowDate = false, current }: { label: string; value: Expiry; onChange: (expiry: Expiry) => void; allowDate?: boolean; current?: string | null }) {
  const id = useId();
  const dateId = useId();
  return (
    <>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <select id={id} className="input" value={value.choice} onChange={(event) => onChange({ ...value, choice: event.target.value })}>
          {current !== undefined ? <option value="keep">{current === null ? 'Unchanged: never' : `Unchanged: ${new Date(current).getTime() < Date.now() ? 'expired' : 'expires'} ${formatAgo(current)}`}</option> : null}
          {PRESETS.map((preset) => (
            <option key={preset.days} value={String(preset.days)}>
              {preset.label}
            </option>
          ))}
          {allowDate ? <option value="date">On a date…</option> : null}
          <option value="never">Never</option>
        </select>
      </div>
      {value.choice === 'date' ? (
        <div className="field">
          <label htmlFor={dateId}>Last day it works</label>
          <input id={dateId} className="input" type="date" required min={localDay(new Date())} value={value.date} onChange={(event) => onChange({ ...value, date: event.target.value })} />
        </div>
      ) : null}
    </>
  );
}

'use client';

import { useId, useState, type FormEvent, type ReactNode } from 'react';

/**
 * A search box for the list below it (role=search): the text is applied when submitted,
 * trimmed. `children` (e.g. a sort picker) stand between the box and the button.
 */
export function FilterForm({ label, placeholder, button = 'Search', maxLength = 255, initial = '', onSubmit, children }: { label: string; placeholder?: string; button?: string; maxLength?: number; initial?: string; onSubmit: (q: string) => void; children?: ReactNode }) {
  const [draft, setDraft] = useState(initial);
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(draft.trim());
  };
  return (
    <form role="search" className="toolbar" onSubmit={submit}>
      <div className="field" style={{ flex: 1, minWidth: 160, marginBottom: 0 }}>
        <label htmlFor={id}>{label}</label>
        <input id={id} className="input" type="search" maxLength={maxLength} value={draft} onChange={(event) => setDraft(event.target.value)} placeholder={placeholder} />
      </div>
      {children}
      <button type="submit" className="button">
        {button}
      </button>
    </form>
  );
}

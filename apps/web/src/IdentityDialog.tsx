import { useEffect, useId, useRef, useState, type CSSProperties, type FormEvent } from 'react';
import { PALETTE, initialsOf, randomColor, toSafeName, type Identity } from './lib/identity.ts';

/** First visit (or the "you" avatar): the name and colour others see next to your cursor. */
export function IdentityDialog({
  initial,
  onSave,
  onCancel,
}: {
  readonly initial: Identity | null;
  readonly onSave: (identity: Identity) => void;
  readonly onCancel?: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState(initial?.name ?? '');
  const [color, setColor] = useState(initial?.color ?? randomColor);
  const nameId = useId();
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const clean = toSafeName(name, '');
    if (clean === '') return;
    onSave({ name: clean, color });
  };

  return (
    <dialog
      ref={ref}
      className="dialog dialog--identity"
      aria-labelledby={titleId}
      onCancel={(event) => {
        if (onCancel === undefined) event.preventDefault();
        else onCancel();
      }}
    >
      <form onSubmit={submit}>
        <div
          className="identity-preview"
          style={{ '--avatar': color } as CSSProperties}
          aria-hidden="true"
        >
          {initialsOf(toSafeName(name, '?'))}
        </div>
        <h2 id={titleId}>{initial === null ? 'Welcome to syspat' : 'Your name and colour'}</h2>
        <p className="muted">Collaborators see this next to the field you are editing.</p>
        <label className="form-label" htmlFor={nameId}>
          Your name
        </label>
        <input
          id={nameId}
          className="text-input"
          value={name}
          maxLength={40}
          autoFocus
          autoComplete="nickname"
          onChange={(e) => setName(e.target.value)}
          required
        />
        <fieldset className="swatches">
          <legend className="form-label">Colour</legend>
          {PALETTE.map((swatch) => (
            <label key={swatch} className="swatch" style={{ '--swatch': swatch } as CSSProperties}>
              <input
                type="radio"
                name="color"
                value={swatch}
                checked={color === swatch}
                onChange={() => setColor(swatch)}
              />
              <span className="visually-hidden">{swatch}</span>
            </label>
          ))}
        </fieldset>
        <div className="dialog__actions">
          {onCancel !== undefined && (
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button
            type="submit"
            className="button button--primary"
            disabled={toSafeName(name, '') === ''}
          >
            {initial === null ? 'Start editing' : 'Save'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

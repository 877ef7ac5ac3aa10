import { useId, useState, type ReactNode } from 'react';
import type * as Y from 'yjs';
import { setText, type ListPath, type ModelPath } from '@syspat/ydoc';
import { Icon, type IconName } from '../lib/icons.tsx';
import { CollabText } from './CollabText.tsx';
import { FencePreviews } from './FencePreviews.tsx';
import {
  useOrderedEntries,
  useSession,
  useYArrayChild,
  useYTextChild,
  useYTextValue,
  uidOf,
} from './hooks.ts';
import { addEntryAndFocus, idOf, listPathOf, removeWithUndo } from './modelEdits.ts';
import { fieldKey } from './PresenceStore.ts';

export function IconButton({
  icon,
  label,
  onClick,
  tone = 'plain',
  disabled = false,
  shortcut,
}: {
  readonly icon: IconName;
  readonly label: string;
  readonly onClick: () => void;
  readonly tone?: 'plain' | 'danger';
  readonly disabled?: boolean;
  readonly shortcut?: string;
}) {
  return (
    <button
      type="button"
      className={`icon-button icon-button--${tone}`}
      aria-label={label}
      title={shortcut === undefined ? label : `${label} (${shortcut})`}
      onClick={onClick}
      disabled={disabled}
    >
      <Icon name={icon} />
    </button>
  );
}

export function AddButton({
  children,
  onClick,
  subtle = false,
}: {
  readonly children: ReactNode;
  readonly onClick: () => void;
  readonly subtle?: boolean;
}) {
  return (
    <button
      type="button"
      className={subtle ? 'add-button add-button--subtle' : 'add-button'}
      onClick={onClick}
    >
      <Icon name="plus" size={14} />
      <span>{children}</span>
    </button>
  );
}

/** `- **Label**: value` as a labelled one-line field. */
export function FieldRow({
  label,
  text,
  path,
  placeholder,
  hint,
}: {
  readonly label: string;
  readonly text: Y.Text | null;
  readonly path: ModelPath;
  readonly placeholder: string;
  readonly hint?: ReactNode;
}) {
  const id = useId();
  const value = useYTextValue(text);
  return (
    <div className="field-row">
      <label className="field-row__label" htmlFor={id}>
        {label}
        {hint}
      </label>
      <CollabText id={id} text={text} path={path} placeholder={hintOf(placeholder)} />
      <FencePreviews markdown={value} label={label} />
    </div>
  );
}

/** Template placeholders are written `[like this]`; as an input hint the brackets go. */
export function hintOf(placeholder: string): string {
  const trimmed = placeholder.trim();
  return trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
}

/**
 * What the template has no field for, under a block, card or section: `**Label**: value` lines
 * with unknown labels (`withFields`) and notes (markdown kept byte for byte). Shown when they have
 * content; otherwise behind quiet "add" buttons that appear on hover or keyboard focus.
 */
export function BlockExtras({
  map,
  path,
  label,
  withFields = false,
  children,
}: {
  readonly map: Y.Map<unknown>;
  readonly path: ModelPath;
  readonly label: string;
  readonly withFields?: boolean;
  /** More quiet add buttons for the same row. */
  readonly children?: ReactNode;
}) {
  const session = useSession();
  const notes = useYTextChild(map, 'notes');
  const notesValue = useYTextValue(notes);
  const [notesOpen, setNotesOpen] = useState(false);
  const notesPath = [...path, 'notes'];
  const fieldsPath = listPathOf(path, 'extraFields');
  const showNotes = notesValue !== '' || notesOpen;

  const addField = () => {
    addEntryAndFocus(session, fieldsPath, { label: '', value: '' }, 'label');
  };

  return (
    <>
      {withFields && <ExtraFields map={map} listPath={fieldsPath} />}
      {showNotes && <NotesEditor text={notes} path={notesPath} label={label} />}
      <div className="add-row add-row--quiet">
        {withFields && (
          <AddButton subtle onClick={addField}>
            Custom field
          </AddButton>
        )}
        {!showNotes && (
          <AddButton
            subtle
            onClick={() => {
              setNotesOpen(true);
              session.requestFocus(fieldKey(notesPath));
            }}
          >
            Notes
          </AddButton>
        )}
        {children}
      </div>
    </>
  );
}

export function NotesEditor({
  text,
  path,
  label,
}: {
  readonly text: Y.Text | null;
  readonly path: ModelPath;
  readonly label: string;
}) {
  const id = useId();
  const value = useYTextValue(text);
  return (
    <div className="notes">
      <label className="notes__label" htmlFor={id}>
        {label} <span className="notes__hint">markdown</span>
      </label>
      <CollabText
        id={id}
        text={text}
        path={path}
        multiline
        variant="markdown"
        placeholder="Anything the template has no field for, in markdown"
      />
      <FencePreviews markdown={value} label={`Diagram in ${label}`} />
    </div>
  );
}

/** `**Label**: value` lines whose label the template does not know. */
function ExtraFields({
  map,
  listPath,
}: {
  readonly map: Y.Map<unknown>;
  readonly listPath: ListPath<'extraFields'>;
}) {
  const list = useYArrayChild(map, 'extraFields');
  const entries = useOrderedEntries(list);
  if (entries.length === 0) return null;
  return (
    <div className="fields">
      {entries.map((entry) => (
        <ExtraFieldRow key={uidOf(entry)} entry={entry} listPath={listPath} />
      ))}
    </div>
  );
}

function ExtraFieldRow({
  entry,
  listPath,
}: {
  readonly entry: Y.Map<unknown>;
  readonly listPath: ListPath;
}) {
  const session = useSession();
  const id = idOf(entry);
  const label = useYTextChild(entry, 'label');
  const value = useYTextChild(entry, 'value');
  const labelValue = useYTextValue(label);
  return (
    <div className="field-row field-row--extra">
      <div className="field-row__label field-row__label--editable">
        <CollabText
          text={label}
          path={[...listPath, id, 'label']}
          label="Custom field label"
          placeholder="Label"
          variant="inline"
        />
      </div>
      <div className="field-row__with-action">
        <CollabText
          text={value}
          path={[...listPath, id, 'value']}
          label={labelValue === '' ? 'Custom field value' : labelValue}
          placeholder="Value"
        />
        <IconButton
          icon="trash"
          tone="danger"
          label={`Remove field ${labelValue}`.trim()}
          onClick={() => removeWithUndo(session, listPath, id, 'Field')}
        />
      </div>
    </div>
  );
}

const YES = /^\s*(yes|y|true)\s*$/i;
const NO = /^\s*(no|n|false)\s*$/i;

/** A yes/no value (`Critical?`): a two-way toggle writing `Yes` / `No`; other text stays editable. */
export function YesNoToggle({
  text,
  path,
  label,
}: {
  readonly text: Y.Text | null;
  readonly path: ModelPath;
  readonly label: string;
}) {
  const session = useSession();
  const value = useYTextValue(text);
  const state = YES.test(value)
    ? 'yes'
    : NO.test(value)
      ? 'no'
      : value.trim() === ''
        ? 'unset'
        : 'other';
  const write = (next: string) =>
    session.transact(() => setText(session.ydoc, path, next, { origin: session.origin }));
  return (
    <div className="yesno">
      <div className="segmented" role="group" aria-label={label} data-field-key={fieldKey(path)}>
        <button
          type="button"
          aria-pressed={state === 'yes'}
          onClick={() => write(state === 'yes' ? '' : 'Yes')}
        >
          Yes
        </button>
        <button
          type="button"
          aria-pressed={state === 'no'}
          onClick={() => write(state === 'no' ? '' : 'No')}
        >
          No
        </button>
      </div>
      {state === 'other' && (
        <CollabText text={text} path={path} label={`${label} (text)`} variant="cell" />
      )}
    </div>
  );
}

import type * as Y from 'yjs';
import { insertItem, type ListPath } from '@syspat/ydoc';
import { Icon } from '../lib/icons.tsx';
import { CollabText } from './CollabText.tsx';
import { AddButton, IconButton, hintOf } from './fields.tsx';
import { useOrderedEntries, useSession, useYTextChild, uidOf } from './hooks.ts';
import { idOf, removeWithUndo } from './modelEdits.ts';
import { fieldKey } from './PresenceStore.ts';
import { useSortable, type Sortable } from './useSortable.ts';

/**
 * A bullet list or numbered steps: one line per item, Enter adds the next, Backspace in an empty
 * item removes it, Alt+↑/↓ or the grip moves it.
 */
export function ListEditor({
  list,
  path,
  numbered,
  noun,
  placeholders,
  fallbackPlaceholder,
  addLabel,
}: {
  /** The list, or null when the document has none yet (the first Add creates it). */
  readonly list: Y.Array<unknown> | null;
  readonly path: ListPath<'items' | 'steps'>;
  readonly numbered: boolean;
  /** "Step", "Principle": for labels and announcements. */
  readonly noun: string;
  /** Input hints for the first items (the template's). */
  readonly placeholders: readonly string[];
  readonly fallbackPlaceholder: string;
  readonly addLabel: string;
}) {
  const session = useSession();
  const entries = useOrderedEntries(list);
  const sortable = useSortable(path, entries, noun);

  const insertAt = (index: number) => {
    let id = '';
    session.transact(() => {
      id = insertItem(session.ydoc, path, { index, origin: session.origin }).id;
    });
    session.requestFocus(fieldKey([...path, id, 'text']));
  };

  const remove = (index: number, id: string) => {
    const previous = entries[index - 1];
    removeWithUndo(session, path, id, noun);
    if (previous !== undefined) session.requestFocus(fieldKey([...path, idOf(previous), 'text']));
  };

  const Tag = numbered ? 'ol' : 'ul';
  return (
    <div className="list-editor">
      {entries.length > 0 && (
        <Tag
          className={
            numbered ? 'list-editor__items list-editor__items--numbered' : 'list-editor__items'
          }
        >
          {entries.map((entry, index) => (
            <ListItemRow
              key={uidOf(entry)}
              entry={entry}
              index={index}
              count={entries.length}
              path={path}
              noun={noun}
              numbered={numbered}
              placeholder={hintOf(placeholders[index] ?? fallbackPlaceholder)}
              sortable={sortable}
              onEnter={() => insertAt(index + 1)}
              onRemove={() => remove(index, idOf(entry))}
            />
          ))}
        </Tag>
      )}
      <AddButton subtle onClick={() => insertAt(entries.length)}>
        {addLabel}
      </AddButton>
    </div>
  );
}

function ListItemRow({
  entry,
  index,
  count,
  path,
  noun,
  numbered,
  placeholder,
  sortable,
  onEnter,
  onRemove,
}: {
  readonly entry: Y.Map<unknown>;
  readonly index: number;
  readonly count: number;
  readonly path: ListPath;
  readonly noun: string;
  readonly numbered: boolean;
  readonly placeholder: string;
  readonly sortable: Sortable;
  readonly onEnter: () => void;
  readonly onRemove: () => void;
}) {
  const id = idOf(entry);
  const text = useYTextChild(entry, 'text');
  const name = `${noun} ${index + 1}`;
  return (
    <li className="list-item" data-sortable-item {...sortable.itemProps(id)}>
      <button
        type="button"
        className="grip"
        {...sortable.handleProps(id, `Move ${name} of ${count}`)}
      >
        <Icon name="grip" size={14} />
      </button>
      <span className="list-item__marker" aria-hidden="true">
        {numbered ? `${index + 1}.` : '•'}
      </span>
      <CollabText
        text={text}
        path={[...path, id, 'text']}
        label={name}
        placeholder={placeholder}
        onEnter={onEnter}
        onBackspaceEmpty={onRemove}
        onMove={(by) => sortable.move(id, by)}
      />
      <IconButton icon="x" label={`Remove ${name}`} onClick={onRemove} />
    </li>
  );
}

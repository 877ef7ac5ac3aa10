import { lazy, Suspense, useId, type ComponentType } from 'react';
import * as Y from 'yjs';
import type {
  BlockSpec,
  CardsBlockSpec,
  DiagramBlockSpec,
  FieldSpec,
  FieldsBlockSpec,
  ListBlockSpec,
  TableBlockSpec,
} from '@syspat/template';
import {
  blockPath,
  insertCard,
  insertRow,
  removeEntry,
  setText,
  type ListPath,
  type ModelPath,
} from '@syspat/ydoc';
import { Icon } from '../lib/icons.tsx';
import { CollabText } from './CollabText.tsx';
import { AddButton, BlockExtras, FieldRow, IconButton, YesNoToggle, hintOf } from './fields.tsx';
import {
  useOrderedEntries,
  useSession,
  useYArrayChild,
  useYMapChild,
  useYMapKeys,
  useYTextChild,
  useYTextValue,
  uidOf,
} from './hooks.ts';
import { LazyMount } from './LazyMount.tsx';
import { ListEditor } from './ListEditor.tsx';
import {
  addDiagram,
  addEntryAndFocus,
  addTable,
  idOf,
  listPathOf,
  removeWithUndo,
} from './modelEdits.ts';
import { fieldKey } from './PresenceStore.ts';
import { useSortable, type Sortable } from './useSortable.ts';

const MermaidPreview = lazy(() =>
  import('./MermaidPreview.tsx').then((m) => ({ default: m.MermaidPreview })),
);

/**
 * One component per block kind of the template description, chosen by `blockViews[spec.kind]`:
 * no section is written by hand, so a template change shows up in the form by itself.
 */

interface BlockViewProps<S extends BlockSpec> {
  readonly sectionId: string;
  readonly spec: S;
  /** The block's Y.Map (present). */
  readonly block: Y.Map<unknown>;
  readonly path: ModelPath;
}

type BlockViews = {
  readonly [K in BlockSpec['kind']]: ComponentType<BlockViewProps<Extract<BlockSpec, { kind: K }>>>;
};

// ---------------------------------------------------------------------------------------------
// diagram

function DiagramBlockView({ sectionId, spec, block, path }: BlockViewProps<DiagramBlockSpec>) {
  const session = useSession();
  const diagram = useYMapChild(block, 'diagram');
  const lang = useYTextChild(diagram, 'lang');
  const code = useYTextChild(diagram, 'code');
  const langValue = useYTextValue(lang);
  const codeValue = useYTextValue(code);
  const codeId = useId();
  const langId = useId();
  const diagramPath = [...path, 'diagram'];
  const isMermaid = langValue.trim().toLowerCase() === 'mermaid';
  const options = ['', 'mermaid', 'text'];
  if (!options.includes(langValue)) options.push(langValue);

  return (
    <>
      {diagram === null ? (
        <AddButton onClick={() => addDiagram(session, sectionId, spec.id)}>Diagram</AddButton>
      ) : (
        <div className={isMermaid ? 'diagram diagram--split' : 'diagram'}>
          <div className="diagram__editor">
            <div className="diagram__toolbar">
              <label htmlFor={codeId} className="diagram__label">
                Diagram source
              </label>
              <label className="diagram__lang">
                <span className="visually-hidden">Diagram language</span>
                <select
                  id={langId}
                  value={langValue}
                  onChange={(event) =>
                    session.transact(() =>
                      setText(session.ydoc, [...diagramPath, 'lang'], event.target.value, {
                        origin: session.origin,
                      }),
                    )
                  }
                >
                  {options.map((option) => (
                    <option key={option} value={option}>
                      {option === '' ? 'Plain text' : option === 'mermaid' ? 'Mermaid' : option}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <CollabText
              id={codeId}
              text={code}
              path={[...diagramPath, 'code']}
              multiline
              variant="code"
              placeholder={spec.placeholder}
            />
          </div>
          {isMermaid && (
            <Suspense fallback={<figure className="diagram-preview" aria-busy="true" />}>
              <MermaidPreview code={codeValue} label={spec.heading} />
            </Suspense>
          )}
        </div>
      )}
      <BlockExtras map={block} path={path} label={`Notes on ${spec.heading}`} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// fields

/** The labelled fields of `specs` that `fieldsMap` has (a card may lack some: Pattern 2 has no Example). */
function LabelledFields({
  fieldsMap,
  specs,
  path,
}: {
  readonly fieldsMap: Y.Map<unknown> | null;
  readonly specs: readonly FieldSpec[];
  readonly path: ModelPath;
}) {
  useYMapKeys(fieldsMap);
  return (
    <div className="fields">
      {specs.map((field) => {
        const text = fieldsMap?.get(field.id);
        if (!(text instanceof Y.Text)) return null;
        return (
          <FieldRow
            key={field.id}
            label={field.label}
            text={text}
            path={[...path, 'fields', field.id]}
            placeholder={field.placeholder}
          />
        );
      })}
    </div>
  );
}

/** Quiet buttons that add the template fields `fieldsMap` lacks. */
function MissingFields({
  fieldsMap,
  specs,
  path,
}: {
  readonly fieldsMap: Y.Map<unknown> | null;
  readonly specs: readonly FieldSpec[];
  readonly path: ModelPath;
}) {
  const session = useSession();
  useYMapKeys(fieldsMap);
  if (fieldsMap === null) return null;
  return specs
    .filter((f) => !(fieldsMap.get(f.id) instanceof Y.Text))
    .map((field) => (
      <AddButton
        key={field.id}
        subtle
        onClick={() => {
          const fieldPath = [...path, 'fields', field.id];
          session.transact(() => setText(session.ydoc, fieldPath, '', { origin: session.origin }));
          session.requestFocus(fieldKey(fieldPath));
        }}
      >
        {field.label}
      </AddButton>
    ));
}

function FieldsBlockView({ spec, block, path }: BlockViewProps<FieldsBlockSpec>) {
  const fieldsMap = useYMapChild(block, 'fields');
  return (
    <>
      <LabelledFields fieldsMap={fieldsMap} specs={spec.fields} path={path} />
      <BlockExtras map={block} path={path} label={`Notes on ${spec.heading}`} withFields>
        <MissingFields fieldsMap={fieldsMap} specs={spec.fields} path={path} />
      </BlockExtras>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// list

function ListBlockView({ spec, block, path }: BlockViewProps<ListBlockSpec>) {
  const items = useYArrayChild(block, 'items');
  return (
    <>
      <ListEditor
        list={items}
        path={listPathOf(path, 'items')}
        numbered={false}
        noun="Item"
        placeholders={spec.placeholder}
        fallbackPlaceholder="[Another item]"
        addLabel="Item"
      />
      <BlockExtras map={block} path={path} label={`Notes on ${spec.heading}`} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// table

interface Column {
  readonly id: string;
  readonly label: string;
  readonly kind: 'text' | 'yesno';
  readonly placeholder: string;
  /** Extra (imported or added) columns: their label text, editable. */
  readonly extra: Y.Map<unknown> | null;
}

function TableBlockView({ sectionId, spec, block, path }: BlockViewProps<TableBlockSpec>) {
  const session = useSession();
  const table = useYMapChild(block, 'table');
  return (
    <>
      {table === null ? (
        <AddButton onClick={() => addTable(session, sectionId, spec.id)}>Table</AddButton>
      ) : (
        <TableEditor sectionId={sectionId} spec={spec} table={table} path={[...path, 'table']} />
      )}
      <BlockExtras map={block} path={path} label={`Notes on ${spec.heading}`} />
    </>
  );
}

function TableEditor({
  sectionId,
  spec,
  table,
  path,
}: {
  readonly sectionId: string;
  readonly spec: TableBlockSpec;
  readonly table: Y.Map<unknown>;
  readonly path: ModelPath;
}) {
  const session = useSession();
  const extraList = useYArrayChild(table, 'extraColumns');
  const extraEntries = useOrderedEntries(extraList);
  const rowsList = useYArrayChild(table, 'rows');
  const rows = useOrderedEntries(rowsList);
  const rowsPath = listPathOf(path, 'rows');
  const extraPath = listPathOf(path, 'extraColumns');
  const sortable = useSortable(rowsPath, rows, 'Row');
  const columns: Column[] = [
    ...spec.columns.map((c) => ({
      id: c.id,
      label: c.label,
      kind: c.kind,
      placeholder: c.placeholder,
      extra: null,
    })),
    ...extraEntries.map((e) => ({
      id: idOf(e),
      label: '',
      kind: 'text' as const,
      placeholder: '',
      extra: e,
    })),
  ];

  const addRow = () => {
    let id = '';
    session.transact(() => {
      id = insertRow(session.ydoc, sectionId, spec.id, { origin: session.origin }).id;
    });
    const first = spec.columns[0];
    if (first !== undefined) session.requestFocus(fieldKey([...rowsPath, id, 'cells', first.id]));
  };

  const addColumn = () => {
    addEntryAndFocus(session, extraPath, { label: '' }, 'label');
  };

  const removeColumn = (id: string) => {
    session.transact(() => {
      removeEntry(session.ydoc, extraPath, id, { origin: session.origin });
      for (const row of rows) {
        const cells = row.get('cells');
        if (cells instanceof Y.Map && cells.has(id)) cells.delete(id);
      }
    });
  };

  return (
    <div className="table-editor">
      <div className="table-editor__scroll">
        <table className="grid">
          <thead>
            <tr>
              <th className="grid__handle">
                <span className="visually-hidden">Reorder</span>
              </th>
              {columns.map((column) => (
                <th
                  key={column.id}
                  scope="col"
                  className={column.kind === 'yesno' ? 'grid__yesno' : undefined}
                >
                  {column.extra === null ? (
                    column.label
                  ) : (
                    <ExtraColumnHeader
                      entry={column.extra}
                      path={[...extraPath, column.id]}
                      onRemove={() => removeColumn(column.id)}
                    />
                  )}
                </th>
              ))}
              <th className="grid__actions">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <LazyMount
                key={uidOf(row)}
                estimate={46}
                eager={index < 40}
                tableColumns={columns.length + 2}
              >
                <TableRowView
                  row={row}
                  index={index}
                  count={rows.length}
                  columns={columns}
                  spec={spec}
                  path={rowsPath}
                  sortable={sortable}
                />
              </LazyMount>
            ))}
          </tbody>
        </table>
      </div>
      <div className="add-row">
        <AddButton onClick={addRow}>Row</AddButton>
        <AddButton subtle onClick={addColumn}>
          Column
        </AddButton>
      </div>
    </div>
  );
}

function ExtraColumnHeader({
  entry,
  path,
  onRemove,
}: {
  readonly entry: Y.Map<unknown>;
  readonly path: ModelPath;
  readonly onRemove: () => void;
}) {
  const label = useYTextChild(entry, 'label');
  const value = useYTextValue(label);
  return (
    <div className="grid__extra-header">
      <CollabText
        text={label}
        path={[...path, 'label']}
        label="Column name"
        placeholder="Column"
        variant="inline"
      />
      <IconButton icon="x" label={`Remove column ${value}`.trim()} onClick={onRemove} />
    </div>
  );
}

function TableRowView({
  row,
  index,
  count,
  columns,
  spec,
  path,
  sortable,
}: {
  readonly row: Y.Map<unknown>;
  readonly index: number;
  readonly count: number;
  readonly columns: readonly Column[];
  readonly spec: TableBlockSpec;
  readonly path: ListPath<'rows'>;
  readonly sortable: Sortable;
}) {
  const session = useSession();
  const id = idOf(row);
  const cells = useYMapChild(row, 'cells');
  useYMapKeys(cells);
  const rowPath = [...path, id];
  return (
    <tr data-sortable-item {...sortable.itemProps(id)}>
      <td className="grid__handle">
        <button
          type="button"
          className="grip"
          {...sortable.handleProps(id, `Move row ${index + 1} of ${count}`)}
        >
          <Icon name="grip" size={14} />
        </button>
      </td>
      {columns.map((column, c) => {
        const text = cells?.get(column.id);
        const cell = text instanceof Y.Text ? text : null;
        const cellPath = [...rowPath, 'cells', column.id];
        const name = `${column.extra === null ? column.label : `Column ${c + 1}`}, row ${index + 1}`;
        return (
          <td key={column.id} className={column.kind === 'yesno' ? 'grid__yesno' : undefined}>
            {column.kind === 'yesno' ? (
              <YesNoToggle text={cell} path={cellPath} label={name} />
            ) : (
              <CollabText
                text={cell}
                path={cellPath}
                label={name}
                variant="cell"
                placeholder={hintOf(spec.placeholderRows[index]?.[c] ?? column.placeholder)}
                onMove={(by) => sortable.move(id, by)}
              />
            )}
          </td>
        );
      })}
      <td className="grid__actions">
        <IconButton
          icon="trash"
          tone="danger"
          label={`Remove row ${index + 1}`}
          onClick={() => removeWithUndo(session, path, id, 'Row')}
        />
      </td>
    </tr>
  );
}

// ---------------------------------------------------------------------------------------------
// cards

function CardsBlockView({ sectionId, spec, block, path }: BlockViewProps<CardsBlockSpec>) {
  const session = useSession();
  const list = useYArrayChild(block, 'cards');
  const cards = useOrderedEntries(list);
  const cardsPath = listPathOf(path, 'cards');
  const sortable = useSortable(cardsPath, cards, spec.cardLabel);

  const add = () => {
    let id = '';
    session.transact(() => {
      id = insertCard(session.ydoc, sectionId, { blockId: spec.id, origin: session.origin }).id;
    });
    session.requestFocus(fieldKey([...cardsPath, id, 'title']));
  };

  const estimate = spec.body === 'steps' ? 240 : 120 + spec.fields.length * 52;
  return (
    <div className="cards">
      {cards.map((card, index) => (
        <LazyMount key={uidOf(card)} estimate={estimate} eager={index < 4}>
          <CardView
            card={card}
            index={index}
            count={cards.length}
            spec={spec}
            path={cardsPath}
            sortable={sortable}
          />
        </LazyMount>
      ))}
      <button type="button" className="card-add" onClick={add}>
        <Icon name="plus" />
        <span>Add {spec.cardLabel.toLowerCase()}</span>
      </button>
    </div>
  );
}

function CardView({
  card,
  index,
  count,
  spec,
  path,
  sortable,
}: {
  readonly card: Y.Map<unknown>;
  readonly index: number;
  readonly count: number;
  readonly spec: CardsBlockSpec;
  readonly path: ListPath<'cards'>;
  readonly sortable: Sortable;
}) {
  const session = useSession();
  const id = idOf(card);
  const cardPath = [...path, id];
  const title = useYTextChild(card, 'title');
  const titleValue = useYTextValue(title);
  const fieldsMap = useYMapChild(card, 'fields');
  const steps = useYArrayChild(card, 'steps');
  const instance = spec.instances[index];
  const name = `${spec.cardLabel} ${index + 1}`;
  const titleId = useId();
  const shown = titleValue.trim() === '' ? name : `${name}: ${titleValue}`;

  return (
    <article
      className="card"
      data-sortable-item
      aria-labelledby={titleId}
      {...sortable.itemProps(id)}
    >
      <header className="card__header">
        <button
          type="button"
          className="grip"
          {...sortable.handleProps(id, `Move ${shown} (${index + 1} of ${count})`)}
        >
          <Icon name="grip" size={14} />
        </button>
        <label className="card__label" id={titleId} htmlFor={`${titleId}-input`}>
          {name}
        </label>
        <div className="card__title">
          <CollabText
            id={`${titleId}-input`}
            text={title}
            path={[...cardPath, 'title']}
            placeholder={hintOf(instance?.titlePlaceholder ?? spec.titlePlaceholder)}
            variant="title"
            onMove={(by) => sortable.move(id, by)}
          />
        </div>
        <div className="card__actions">
          <IconButton
            icon="up"
            label={`Move ${name} up`}
            disabled={index === 0}
            onClick={() => sortable.move(id, -1)}
          />
          <IconButton
            icon="down"
            label={`Move ${name} down`}
            disabled={index === count - 1}
            onClick={() => sortable.move(id, 1)}
          />
          <IconButton
            icon="trash"
            tone="danger"
            label={`Remove ${shown}`}
            onClick={() => removeWithUndo(session, path, id, name)}
          />
        </div>
      </header>
      <div className="card__body">
        {spec.body === 'steps' ? (
          <ListEditor
            list={steps}
            path={listPathOf(cardPath, 'steps')}
            numbered
            noun="Step"
            placeholders={instance?.steps ?? spec.stepPlaceholder}
            fallbackPlaceholder="[Next step]"
            addLabel="Step"
          />
        ) : (
          <LabelledFields fieldsMap={fieldsMap} specs={spec.fields} path={cardPath} />
        )}
        <BlockExtras map={card} path={cardPath} label={`Notes on ${name}`} withFields>
          <MissingFields fieldsMap={fieldsMap} specs={spec.fields} path={cardPath} />
        </BlockExtras>
      </div>
    </article>
  );
}

export const blockViews: BlockViews = {
  diagram: DiagramBlockView,
  fields: FieldsBlockView,
  list: ListBlockView,
  table: TableBlockView,
  cards: CardsBlockView,
};

/** A block of a known section: its heading, then the view for its kind (or "add" if absent). */
export function BlockView({
  sectionId,
  spec,
  blocks,
}: {
  readonly sectionId: string;
  readonly spec: BlockSpec;
  readonly blocks: Y.Map<unknown>;
}) {
  const block = useYMapChild(blocks, spec.id);
  const path = blockPath(sectionId, spec.id);
  const View = blockViews[spec.kind] as ComponentType<BlockViewProps<BlockSpec>>;
  if (block === null) return null;
  return <View sectionId={sectionId} spec={spec} block={block} path={path} />;
}

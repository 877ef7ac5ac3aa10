import { useId, useState } from 'react';
import * as Y from 'yjs';
import type { SectionSpec } from '@syspat/template';
import { type ListPath } from '@syspat/ydoc';
import { CollabText } from './CollabText.tsx';
import { FencePreviews } from './FencePreviews.tsx';
import { BlockView } from './blocks.tsx';
import { AddButton, IconButton, NotesEditor } from './fields.tsx';
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
import { MoveIntoSection } from './MoveIntoSection.tsx';
import {
  addBlock,
  addEntryAndFocus,
  addSection,
  idOf,
  listPathOf,
  removeWithUndo,
} from './modelEdits.ts';
import { fieldKey } from './PresenceStore.ts';
import { StructureThis } from './StructureThis.tsx';

const afterOf = (entry: Y.Map<unknown>): string | null => {
  const after = entry.get('after');
  return typeof after === 'string' ? after : null;
};

export const sectionAnchor = (sectionId: string): string => `section-${sectionId}`;
export const extraSectionAnchor = (id: string): string => `extra-${id}`;

/** A known section of the template: its blocks in template order, extra blocks, notes. */
export function SectionView({
  spec,
  sections,
  index,
}: {
  readonly spec: SectionSpec;
  readonly sections: Y.Map<unknown>;
  readonly index: number;
}) {
  const session = useSession();
  const section = useYMapChild(sections, spec.id);
  const headingId = `${sectionAnchor(spec.id)}-heading`;
  if (section === null) {
    return (
      <section
        className="section section--absent"
        id={sectionAnchor(spec.id)}
        aria-labelledby={headingId}
        tabIndex={-1}
      >
        <header className="section__header">
          <span className="section__number" aria-hidden="true">
            {String(index + 1).padStart(2, '0')}
          </span>
          <h2 id={headingId}>{spec.heading}</h2>
        </header>
        <p className="muted">This document has no {spec.heading} section.</p>
        <AddButton onClick={() => addSection(session, spec)}>Add {spec.heading}</AddButton>
      </section>
    );
  }
  return (
    <section
      className="section"
      id={sectionAnchor(spec.id)}
      aria-labelledby={headingId}
      tabIndex={-1}
    >
      <header className="section__header">
        <span className="section__number" aria-hidden="true">
          {String(index + 1).padStart(2, '0')}
        </span>
        <h2 id={headingId}>{spec.heading}</h2>
      </header>
      <LazyMount estimate={360} eager={index < 3}>
        <SectionBody spec={spec} section={section} />
      </LazyMount>
    </section>
  );
}

function SectionBody({
  spec,
  section,
}: {
  readonly spec: SectionSpec;
  readonly section: Y.Map<unknown>;
}) {
  const session = useSession();
  const blocks = useYMapChild(section, 'blocks');
  useYMapKeys(blocks);
  const notes = useYTextChild(section, 'notes');
  const notesValue = useYTextValue(notes);
  const [notesOpen, setNotesOpen] = useState(false);
  const path = ['sections', spec.id];
  const extraBlocksPath = listPathOf(path, 'extraBlocks');
  const absent = spec.blocks.filter((b) => !(blocks?.get(b.id) instanceof Y.Map));
  const showNotes = notesValue !== '' || notesOpen;

  const addSubsection = () => {
    addEntryAndFocus(session, extraBlocksPath, { heading: '', body: '' }, 'heading');
  };

  return (
    <div className="section__body">
      {showNotes && (
        <NotesEditor text={notes} path={[...path, 'notes']} label={`Notes on ${spec.heading}`} />
      )}
      <StructureThis sectionId={spec.id} notes={notesValue} />
      {blocks !== null &&
        spec.blocks.map((blockSpec) => {
          if (!(blocks.get(blockSpec.id) instanceof Y.Map)) return null;
          const titled = blockSpec.kind !== 'cards';
          return (
            <div key={blockSpec.id} className={`block block--${blockSpec.kind}`}>
              {titled && <h3 className="block__heading">{blockSpec.heading}</h3>}
              {blockSpec.help !== undefined && <p className="block__help">{blockSpec.help}</p>}
              <BlockView sectionId={spec.id} spec={blockSpec} blocks={blocks} />
            </div>
          );
        })}
      <ExtraBlocks section={section} listPath={extraBlocksPath} />
      <div className="add-row add-row--quiet section__footer">
        {!showNotes && (
          <AddButton
            subtle
            onClick={() => {
              setNotesOpen(true);
              session.requestFocus(fieldKey([...path, 'notes']));
            }}
          >
            Section notes
          </AddButton>
        )}
        <AddButton subtle onClick={addSubsection}>
          Subsection
        </AddButton>
        {blocks !== null &&
          absent.map((blockSpec) => (
            <AddButton
              key={blockSpec.id}
              subtle
              onClick={() => addBlock(session, spec.id, blockSpec)}
            >
              {blockSpec.kind === 'cards' ? `${blockSpec.cardLabel}s` : blockSpec.heading}
            </AddButton>
          ))}
      </div>
    </div>
  );
}

/** `###` blocks the template does not know: an editable heading and a markdown body. */
function ExtraBlocks({
  section,
  listPath,
}: {
  readonly section: Y.Map<unknown>;
  readonly listPath: ListPath<'extraBlocks'>;
}) {
  const list = useYArrayChild(section, 'extraBlocks');
  const entries = useOrderedEntries(list);
  return (
    <>
      {entries.map((entry) => (
        <ExtraBlockView key={uidOf(entry)} entry={entry} listPath={listPath} />
      ))}
    </>
  );
}

function ExtraBlockView({
  entry,
  listPath,
}: {
  readonly entry: Y.Map<unknown>;
  readonly listPath: ListPath;
}) {
  const session = useSession();
  const id = idOf(entry);
  const heading = useYTextChild(entry, 'heading');
  const headingValue = useYTextValue(heading);
  const body = useYTextChild(entry, 'body');
  const bodyValue = useYTextValue(body);
  const bodyId = useId();
  return (
    <div className="block block--extra">
      <div className="block__heading-row">
        <CollabText
          text={heading}
          path={[...listPath, id, 'heading']}
          label="Subsection heading"
          placeholder="Subsection heading"
          variant="heading"
        />
        <MoveIntoSection
          source={{ kind: 'extraBlock', sectionId: String(listPath[1]), id }}
          after={String(listPath[1])}
        />
        <IconButton
          icon="trash"
          tone="danger"
          label={`Remove subsection ${headingValue}`.trim()}
          onClick={() => removeWithUndo(session, listPath, id, 'Subsection')}
        />
      </div>
      <label className="visually-hidden" htmlFor={bodyId}>
        {headingValue === '' ? 'Subsection' : headingValue} (markdown)
      </label>
      <CollabText
        id={bodyId}
        text={body}
        path={[...listPath, id, 'body']}
        multiline
        variant="markdown"
        placeholder="Markdown"
      />
      <FencePreviews
        markdown={bodyValue}
        label={headingValue === '' ? 'Subsection' : headingValue}
      />
    </div>
  );
}

/** A section the template does not know (kept from an import): heading, level and body. */
export function ExtraSectionView({ entry }: { readonly entry: Y.Map<unknown> }) {
  const session = useSession();
  const id = idOf(entry);
  const listPath = listPathOf([], 'extraSections');
  const heading = useYTextChild(entry, 'heading');
  const headingValue = useYTextValue(heading);
  const body = useYTextChild(entry, 'body');
  const bodyValue = useYTextValue(body);
  const bodyId = useId();
  return (
    <section
      className="section section--extra"
      id={extraSectionAnchor(id)}
      aria-label={headingValue === '' ? 'Extra section' : headingValue}
      tabIndex={-1}
    >
      <header className="section__header">
        <span className="section__badge">Extra</span>
        <div className="section__heading-input">
          <CollabText
            text={heading}
            path={[...listPath, id, 'heading']}
            label="Section heading"
            placeholder="Section heading"
            variant="heading"
          />
        </div>
        <MoveIntoSection source={{ kind: 'extraSection', id }} after={afterOf(entry)} />
        <IconButton
          icon="trash"
          tone="danger"
          label={`Remove section ${headingValue}`.trim()}
          onClick={() => removeWithUndo(session, listPath, id, 'Section')}
        />
      </header>
      <label className="visually-hidden" htmlFor={bodyId}>
        {headingValue === '' ? 'Section' : headingValue} content (markdown)
      </label>
      <CollabText
        id={bodyId}
        text={body}
        path={[...listPath, id, 'body']}
        multiline
        variant="markdown"
        placeholder="Markdown"
      />
      <FencePreviews markdown={bodyValue} label={headingValue === '' ? 'Section' : headingValue} />
    </section>
  );
}

export type {
  Block,
  Card,
  CardsBlock,
  Diagram,
  DiagramBlock,
  ExtraBlock,
  ExtraColumn,
  ExtraField,
  ExtraSection,
  FieldValues,
  FieldsBlock,
  Item,
  KnownSection,
  ListBlock,
  SyspatDocument,
  Table,
  TableBlock,
  TableRow,
} from './types.ts';
export { newId, sequentialIds, type IdFactory } from './newId.ts';
export {
  createBlock,
  createCard,
  createDocument,
  createEmptyDocument,
  createRow,
  createSection,
} from './createDocument.ts';
export { buildDocumentSchema, documentSchema } from './documentSchema.ts';
export { MODEL_VERSION, type ModelVersion } from './modelVersion.ts';
export {
  migrateModel,
  modelMigrations,
  type MigrateOptions,
  type MigratedDocument,
  type ModelMigration,
} from './migrateModel.ts';
export { parseDocument } from './parseDocument.ts';
export {
  DocumentError,
  type DocumentEdge,
  type DocumentErrorCode,
  type DocumentIssue,
} from './errors.ts';

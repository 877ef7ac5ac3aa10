export { applyModel } from './writeModel.ts';
export { readModel } from './readModel.ts';
export { patchModel } from './patchModel.ts';
export { ROOT_NAME, getRoot } from './layout.ts';
export { applyTextDiff, diffText, type TextEdit } from './textDiff.ts';
export {
  LAYOUT_VERSION,
  META_NAME,
  assertLayoutEditable,
  documentLayoutStatus,
  layoutMigrations,
  migrateDocument,
  readLayoutVersion,
  type LayoutMigration,
  type LayoutOptions,
  type LayoutStatus,
} from './layoutVersion.ts';
export { YdocError, type YdocErrorCode } from './errors.ts';
export {
  blockPath,
  cardPath,
  getBlockMap,
  getCardArray,
  getList,
  getSectionMap,
  getText,
  insertCard,
  insertEntry,
  insertItem,
  insertRow,
  moveCard,
  moveEntry,
  orderedEntries,
  removeCard,
  removeEntry,
  sectionPath,
  setText,
  type EditOptions,
  type InsertCardOptions,
  type InsertOptions,
  type ListEntryTypes,
  type ListName,
  type ListPath,
  type ModelPath,
} from './editing.ts';

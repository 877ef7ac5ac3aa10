/**
 * The version of the document model (`SyspatDocument`). Bump it only together with a migration
 * in `migrateModel.ts` that brings the previous version's documents to the new shape.
 */
export const MODEL_VERSION = 1;

export type ModelVersion = typeof MODEL_VERSION;

import { coverContains, coverOf, type UpdateCover } from './updateCover.ts';

/** A stored row another writer (or an unknown one) wrote, with its bytes. */
export interface ForeignRow {
  readonly seq: number;
  readonly data: Uint8Array;
}

export interface CompactionInput {
  /** The new snapshot: the compacting writer's whole in-memory state. */
  readonly snapshot: Uint8Array;
  /** The stored snapshot, when another writer wrote it (a snapshot of our own is ours to replace). */
  readonly foreignSnapshot: Uint8Array | undefined;
  /** Rows up to `uptoSeq` that another writer appended. */
  readonly foreignRows: readonly ForeignRow[];
}

export interface CompactionPlan {
  /** Foreign rows the new snapshot holds: they may be deleted. */
  readonly coveredSeqs: readonly number[];
  /** False when the new snapshot lacks part of the stored one: keep that one as a log row. */
  readonly foreignSnapshotCovered: boolean;
}

/**
 * Decides what a compaction may drop when more than one writer shares the store (the contract's
 * "two writers" case); adapters call it inside their compaction transaction.
 *
 * The design: a compaction deletes a row only when the new snapshot holds it. Rows this writer
 * appended, and what its own load of the document returned, are in its in-memory document by
 * construction, so the adapter drops them without a look (SqliteStorage's `compactTx`); any
 * other row, and another writer's stored snapshot, comes here and is kept unless every struct
 * and every deletion of it lies in the new snapshot's clock ranges (its state vector plus
 * delete set). A single server never gets here with anything to decode.
 *
 * Why not the alternatives: folding the stored rows into the snapshot inside the transaction
 * (Y.mergeUpdates) costs a full merge on every compaction and keeps deleted content, so the
 * snapshot never shrinks; a lease makes one writer the compactor but does not make its view
 * complete, so it would still drop updates it never saw.
 */
export function planCompaction(input: CompactionInput): CompactionPlan {
  if (input.foreignRows.length === 0 && input.foreignSnapshot === undefined) {
    return { coveredSeqs: [], foreignSnapshotCovered: true };
  }
  const cover = coverOf(input.snapshot);
  if (cover === undefined) {
    throw new Error(
      'compact was given a snapshot that is not a well-formed Yjs update; nothing was changed. ' +
        'Pass Y.encodeStateAsUpdate of the document being compacted.',
    );
  }
  const holds = (bytes: Uint8Array): boolean => {
    const other: UpdateCover | undefined = coverOf(bytes);
    // a corrupt row is held by nothing: it stays for an operator to see (quarantine)
    return other !== undefined && coverContains(cover, other);
  };
  return {
    coveredSeqs: input.foreignRows.filter((row) => holds(row.data)).map((row) => row.seq),
    foreignSnapshotCovered: input.foreignSnapshot === undefined || holds(input.foreignSnapshot),
  };
}

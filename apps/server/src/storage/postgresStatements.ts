import { inSchema } from './postgresSchema.ts';

/** The statements of `PostgresStorage`, with the schema's tables qualified. */
export function postgresStatements(schema: string) {
  const q = (text: string) => inSchema(schema, text);
  return {
    insertDoc: q(
      'INSERT INTO %s.docs (id, title, created_at, updated_at, incarnation) ' +
        'VALUES ($1, $2, $3, $4, $5)',
    ),
    upsertSnapshot: q(
      'INSERT INTO %s.snapshots (doc_id, data, upto_seq, writer, generation) ' +
        'VALUES ($1, $2, $3, $4, $5) ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, ' +
        'upto_seq = excluded.upto_seq, writer = excluded.writer, generation = excluded.generation',
    ),
    getDoc: q('SELECT id, title, created_at, updated_at, last_seq FROM %s.docs WHERE id = $1'),
    loadDoc: q(
      'SELECT id, title, created_at, updated_at, last_seq, incarnation FROM %s.docs WHERE id = $1',
    ),
    lockDoc: q('SELECT incarnation FROM %s.docs WHERE id = $1 FOR UPDATE'),
    listDocs: q(
      'SELECT id, title, created_at, updated_at, last_seq FROM %s.docs ' +
        'ORDER BY updated_at DESC, id ASC',
    ),
    rename: q(
      'UPDATE %s.docs SET title = $2, updated_at = $3 WHERE id = $1 ' +
        'RETURNING id, title, created_at, updated_at, last_seq',
    ),
    // the sequence numbers of this commit, drawn under the document's row lock
    reserveSeqs: q(
      'UPDATE %s.docs SET last_seq = last_seq + $2, updated_at = greatest(updated_at, $3) ' +
        'WHERE id = $1 RETURNING last_seq',
    ),
    reserveSeq: q('UPDATE %s.docs SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq'),
    insertUpdates: q(
      'INSERT INTO %s.updates (doc_id, seq, data, writer) ' +
        'SELECT $1, $2::bigint + u.ord, u.data, $4 ' +
        'FROM unnest($3::bytea[]) WITH ORDINALITY AS u(data, ord)',
    ),
    getSnapshot: q('SELECT data, generation FROM %s.snapshots WHERE doc_id = $1'),
    getSnapshotMark: q('SELECT writer, generation FROM %s.snapshots WHERE doc_id = $1'),
    getSnapshotData: q('SELECT data FROM %s.snapshots WHERE doc_id = $1'),
    getUpdates: q('SELECT data FROM %s.updates WHERE doc_id = $1 ORDER BY seq'),
    foreignUpdatesUpTo: q(
      'SELECT seq, data FROM %s.updates WHERE doc_id = $1 AND seq <= $2 AND writer <> $3 ' +
        'ORDER BY seq',
    ),
    deleteOwnUpdatesUpTo: q(
      'DELETE FROM %s.updates WHERE doc_id = $1 AND seq <= $2 AND writer = $3',
    ),
    deleteUpdatesBySeq: q('DELETE FROM %s.updates WHERE doc_id = $1 AND seq = ANY($2::bigint[])'),
    deleteDoc: q('DELETE FROM %s.docs WHERE id = $1'),
  };
}

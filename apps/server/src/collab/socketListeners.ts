import type { CollabSocket, Connection } from './Connection.ts';

/** Where a socket keeps its connection, so that one set of listeners serves every socket. */
const CONNECTION = Symbol('syspat-connection');
type SocketWithConnection = CollabSocket & { [CONNECTION]: Connection };

export type RawMessage = Buffer | ArrayBuffer | Buffer[];

/** What the owner of the sockets does with their events. */
export interface SocketHandlers {
  message(conn: Connection, data: RawMessage, isBinary: boolean): void;
  close(conn: Connection, code: number): void;
}

interface SocketListeners {
  readonly error: (this: unknown, err: Error) => void;
  readonly close: (this: unknown, code: number) => void;
  readonly pong: (this: unknown) => void;
  readonly message: (this: unknown, data: RawMessage, isBinary: boolean) => void;
}

const connectionOf = (socket: unknown): Connection => (socket as SocketWithConnection)[CONNECTION];

/**
 * Returns `bind(conn)`, which subscribes `handlers` to the connection's socket. One set of
 * listener functions serves every socket (no closures per connection); each finds its connection
 * on the socket. Every socket gets an 'error' listener: without one, ws errors (bad opcodes, RSV
 * bits, invalid UTF-8, oversized frames) would crash the process; ws closes the socket itself.
 */
export function socketBinder(handlers: SocketHandlers): (conn: Connection) => void {
  const listeners: SocketListeners = {
    error(err) {
      connectionOf(this).log.warn(
        { err: { message: err.message, code: (err as { code?: string }).code } },
        'websocket error',
      );
    },
    close(code) {
      handlers.close(connectionOf(this), code);
    },
    pong() {
      connectionOf(this).alive = true;
    },
    message(data, isBinary) {
      handlers.message(connectionOf(this), data, isBinary);
    },
  };
  return (conn) => {
    const socket = conn.socket;
    (socket as SocketWithConnection)[CONNECTION] = conn;
    socket.on('error', listeners.error);
    socket.on('close', listeners.close);
    socket.on('pong', listeners.pong);
    socket.on('message', listeners.message);
  };
}

/** Copies a ws message into bytes of its own. */
export const toBytes = (data: RawMessage): Uint8Array => {
  // Always copy: a ws Buffer may be a view into a larger shared allocation, and the decoder
  // must not be able to read past the message.
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  return new Uint8Array(data);
};

/**
 * One websocket connection to one document: who it is, whether it may write, and what it says.
 */
import type { WebSocket } from "ws";
import type { Origin } from "../schema/origin.ts";
import type { Grant, Guarded } from "./accessWatch.ts";
import type { Role } from "./accountStore.ts";
import { CloseCode } from "./closeCodes.ts";
import type { OpenDocument, Peer } from "./document.ts";
import type { Log } from "./log.ts";
import { writableRoots } from "./permissions.ts";
import {
  decodeMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncStep2V2,
  encodeUpdate,
  type Message,
} from "./protocol.ts";

export interface ConnectionInfo {
  id: number;
  /** The signed-in user's name, or null for an anonymous visitor. */
  user: string | null;
  /** The roots this connection may change: null for all, an empty set for none (a reader). */
  writable: ReadonlySet<string> | null;
  /** What the door granted, re-checked by the access watch. */
  grant: Grant;
  /** Close the socket when this many bytes wait unsent: the client is not reading. */
  maxBufferedBytes: number;
  /** The update format of the sync answers it asked for (schema/wire.ts); v1 for a stock client. */
  syncFormat: "v1" | "v2";
}

/**
 * How many updates in a row may depend on what the server lacks, each answered with its state vector,
 * before the connection is taken for broken (a client that never sends the missing structs).
 */
const MISSING_ALLOWED = 50;

export class Connection implements Peer, Guarded {
  readonly id: number;
  private readonly origin: Origin & { kind: "connection" };
  private closed = false;
  private missingInARow = 0;
  private writable: ReadonlySet<string> | null;
  grant: Grant;

  constructor(
    private readonly ws: WebSocket,
    private readonly doc: OpenDocument,
    private readonly info: ConnectionInfo,
    private readonly log: Log,
  ) {
    this.id = info.id;
    this.writable = info.writable;
    this.grant = info.grant;
    this.origin = { kind: "connection", connectionId: info.id, user: info.user };
    doc.addPeer(this);
    ws.on("message", (data, isBinary) => this.receive(data as Buffer, isBinary));
    ws.on("close", () => this.dispose());
    // Without an error listener a bad frame (RSV bits set, oversize) would crash the whole process.
    ws.on("error", (error) => {
      this.log.warn(`connection ${this.id} to "${doc.name}": ${error.message}`);
    });
    this.send(encodeSyncStep1(doc.ydoc));
    if (doc.awareness.getStates().size > 0) this.send(encodeAwareness(doc.awareness));
  }

  /** Messages are handled one after another, in the order they came: each may wait on the store. */
  private inbox: Promise<void> = Promise.resolve();

  private receive(data: Buffer, isBinary: boolean): void {
    this.inbox = this.inbox
      .then(() => this.receiveNow(data, isBinary))
      .catch((error: Error) => this.refuse(CloseCode.storageFailure, error.message));
  }

  private async receiveNow(data: Buffer, isBinary: boolean): Promise<void> {
    if (this.closed) return;
    // Access may have been revoked since the last message (on this server, another, or the command line).
    if (this.beforeMessage && !(await this.beforeMessage())) {
      this.refuse(CloseCode.storageFailure, "access cannot be checked now: the store does not answer");
      return;
    }
    if (this.closed) return;
    if (!isBinary) {
      this.refuse(CloseCode.malformedMessage, "text frames are not part of the protocol");
      return;
    }
    const decoded = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (decoded.ok) await this.handle(decoded.message);
    else this.refuse(CloseCode.malformedMessage, decoded.reason);
  }

  private async handle(message: Message): Promise<void> {
    switch (message.type) {
      case "sync-step-1": {
        const { state, since } = await this.doc.diffFor(message.stateVector, this.info.syncFormat);
        // What changed since first: the client keeps it pending until the state arrives, and is
        // synced (at the state) with everything the server holds.
        if (since) this.send(encodeUpdate(since));
        this.send(this.info.syncFormat === "v2" ? encodeSyncStep2V2(state) : encodeSyncStep2(state));
        return;
      }
      case "sync-step-2":
      case "update": {
        const result = this.doc.applyFrom(this.origin, message.update, this.writable);
        if (result.ok) this.missingInARow = 0;
        if (!result.ok && result.missing && ++this.missingInARow <= MISSING_ALLOWED) {
          // Not applied (no struct is held pending): our state vector asks the client for what we lack,
          // and its answer brings this update's changes too.
          this.send(encodeSyncStep1(this.doc.ydoc));
          return;
        }
        if (!result.ok && result.forbidden) {
          this.send(encodePermissionDenied(result.reason));
          this.refuse(CloseCode.forbidden, `refused, the document is unchanged: ${result.reason}`);
          return;
        }
        if (!result.ok) {
          const code = result.storage
            ? CloseCode.storageFailure
            : result.tooLarge
              ? CloseCode.documentTooLarge
              : CloseCode.malformedMessage;
          this.refuse(code, result.reason);
        }
        return;
      }
      case "awareness":
        try {
          this.doc.applyAwareness(this, message.update);
        } catch (error) {
          this.refuse(
            CloseCode.malformedMessage,
            `awareness update cannot be read (${(error as Error).message})`,
          );
        }
        return;
      case "query-awareness":
        this.send(encodeAwareness(this.doc.awareness));
        return;
      case "auth":
        return;
    }
  }

  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.info.maxBufferedBytes) {
      this.refuse(CloseCode.slowConsumer, "the client reads too slowly; reconnect to resynchronise");
      return;
    }
    this.ws.send(message, { binary: true });
  }

  /** The account's name and the granted role: what others see on this person's cursor. */
  identity(): { name: string | null; role: string } {
    return { name: this.info.user, role: this.grant.role };
  }

  /** Gives the connection a new role's writable roots, keeping the socket open. */
  rescope(role: Role): void {
    this.grant = { ...this.grant, role };
    this.writable = writableRoots(role);
  }

  /** Ends the connection because its sender lost access: y-protocols' "permission denied", then 4403. */
  revoke(reason: string): void {
    if (this.closed) return;
    this.send(encodePermissionDenied(reason));
    this.refuse(CloseCode.forbidden, reason);
  }

  /** Runs before each incoming message is handled (the access watch's check); may close the connection. */
  beforeMessage: (() => Promise<boolean>) | null = null;

  /** Ends the connection with a reason it is told, and a line in the log. */
  private refuse(code: number, reason: string): void {
    this.log.warn(`closing connection ${this.id} to "${this.doc.name}" (${code}): ${reason}`);
    this.close(code, reason);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    // A close reason may hold at most 123 bytes of UTF-8.
    this.ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
    this.dispose();
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.doc.removePeer(this);
    this.onDispose?.();
  }

  /** Called once when the connection ends, however it ends. */
  onDispose: (() => void) | null = null;
}

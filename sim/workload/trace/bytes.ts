// The bytes of a trace file, a bounded chunk at a time, synchronously (the simulation is one
// synchronous loop), decompressed on the way when the file is gzip (found by its magic bytes).
//
// Node has no public synchronous *streaming* inflate: zlib.gunzipSync needs the whole input, and the
// internal _processChunk closes its handle after every call. So the inflater drives the native zlib
// handle of a Gunzip object directly (writeSync, the call Node's own gunzipSync makes), keeping its
// state between chunks. Its error callback is replaced so an error is thrown here instead of closing
// the handle. Multi-member gzip files (concatenated members) decompress whole, as gunzip does; a file
// cut short is an error ("unexpected end of file"), not a silent end.

import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from "node:fs";
import zlib from "node:zlib";

/** Plain bytes read per call. */
export const TRACE_READ_BYTES = 1024 * 1024;
/** Compressed bytes inflated per call: deflate expands at most ~1032 times, so one call yields at most ~17 MB. */
const gzipReadBytes = 16 * 1024;
const inflateOutBytes = 256 * 1024;

/** A trace file that is not read at all (not a regular file); the message says why. */
export class TraceFileRefused extends Error {}

export const traceByteMessages = {
  notRegular: () => "not a regular file (devices, pipes and folders are not traces)",
  gzip: (reason: string) => `gzip data is damaged: ${reason}`,
  trailing: () => "gzip data is followed by bytes that are not gzip",
  inflaterMissing: () => "this Node.js version offers no zlib handle to inflate gzip in steps; decompress the trace first (gunzip FILE)",
} as const;

/** A source of decoded (decompressed) bytes; next() returns null at the end. */
export interface ByteSource {
  next(): Uint8Array | null;
  close(): void;
  readonly gzip: boolean;
}

/** Opens a trace: refuses anything but a regular file (checked on the open descriptor, so a FIFO never blocks a read). */
export function openTraceBytes(path: string): ByteSource {
  // O_NONBLOCK keeps the open itself from waiting for a writer when the path is a FIFO.
  const fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  try {
    if (!fstatSync(fd).isFile()) throw new TraceFileRefused(traceByteMessages.notRegular());
    const head = Buffer.alloc(2);
    const got = readSync(fd, head, 0, 2, 0);
    const gzip = got === 2 && head[0] === 0x1f && head[1] === 0x8b;
    return gzip ? new GzipSource(fd) : new PlainSource(fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

class PlainSource implements ByteSource {
  readonly gzip = false;
  private position = 0;
  private closed = false;

  constructor(
    private readonly fd: number,
    private readonly chunkBytes = TRACE_READ_BYTES,
  ) {}

  next(): Uint8Array | null {
    if (this.closed) return null;
    const buffer = Buffer.allocUnsafe(this.chunkBytes);
    const read = readSync(this.fd, buffer, 0, buffer.length, this.position);
    if (read === 0) return null;
    this.position += read;
    return buffer.subarray(0, read);
  }

  close(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }
}

interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void;
  onerror: (message: string, errno: number, code?: string) => void;
}

class GzipSource implements ByteSource {
  readonly gzip = true;
  private readonly plain: PlainSource;
  private readonly gunzip: zlib.Gunzip;
  private readonly handle: ZlibHandle;
  private readonly state: Uint32Array;
  private error: string | null = null;
  private finished = false;
  private readonly pending: Uint8Array[] = [];

  constructor(fd: number) {
    this.plain = new PlainSource(fd, gzipReadBytes);
    this.gunzip = zlib.createGunzip();
    const internals = this.gunzip as unknown as { _handle?: ZlibHandle; _writeState?: Uint32Array };
    if (internals._handle === undefined || internals._writeState === undefined || typeof internals._handle.writeSync !== "function") {
      throw new TraceFileRefused(traceByteMessages.inflaterMissing());
    }
    this.handle = internals._handle;
    this.state = internals._writeState;
    this.handle.onerror = (message) => {
      this.error = message;
    };
  }

  next(): Uint8Array | null {
    while (this.pending.length === 0) {
      if (this.finished) return null;
      const input = this.plain.next();
      if (input === null) {
        this.inflate(new Uint8Array(0), zlib.constants.Z_FINISH);
        this.finished = true;
      } else this.inflate(input, zlib.constants.Z_NO_FLUSH);
    }
    return this.pending.shift()!;
  }

  /** Inflates one input chunk; each output piece is copied out (the output buffer is reused). */
  private inflate(input: Uint8Array, flush: number): void {
    const out = Buffer.allocUnsafe(inflateOutBytes);
    let inOffset = 0;
    let inLength = input.length;
    for (;;) {
      this.handle.writeSync(flush, input, inOffset, inLength, out, 0, out.length);
      if (this.error !== null) throw new TraceFileRefused(traceByteMessages.gzip(this.error));
      const outLeft = this.state[0];
      const inLeft = this.state[1];
      const produced = out.length - outLeft;
      if (produced > 0) this.pending.push(Uint8Array.prototype.slice.call(out, 0, produced));
      inOffset += inLength - inLeft;
      inLength = inLeft;
      if (outLeft === 0) continue; // output full: more may come from the same input
      if (inLength === 0) return;
      if (produced === 0) throw new TraceFileRefused(traceByteMessages.trailing());
    }
  }

  close(): void {
    this.plain.close();
    this.gunzip.close();
  }
}

/**
 * Bytes as they arrive from storage: a Buffer from a hydrated mongoose document, a bare
 * Uint8Array, or a BSON Binary (from `.lean()` queries), described by the one method used so
 * that src/crypto never imports the driver.
 */
export type BytesLike = Uint8Array | { value(): Uint8Array };

/** A Buffer view of stored bytes (no copy when it already is one). */
export function toBuffer(bytes: BytesLike): Buffer {
  if (Buffer.isBuffer(bytes)) return bytes;
  const view = bytes instanceof Uint8Array ? bytes : bytes.value();
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/** Copy key material into a Buffer we own and wipe the source (e.g. an SDK response body). */
export function copyAndZero(source: Uint8Array): Buffer {
  const copy = Buffer.from(source);
  source.fill(0);
  return copy;
}

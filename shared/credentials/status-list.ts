import { gzipSync } from 'node:zlib';

/**
 * W3C Bitstring Status List v1.0: each credential owns one bit of a list; a set bit
 * means revoked. A list holds 131,072 entries (16 KB, the minimum the specification sets
 * so that one credential's status says little about whom it belongs to).
 */
export const STATUS_LIST_LENGTH = 131_072;

/** The encodedList: multibase base64url (prefix "u") of the GZIP-compressed bits, index 0 the first byte's highest bit. */
export function encodeStatusList(revoked: Iterable<number>): string {
  const bits = Buffer.alloc(STATUS_LIST_LENGTH / 8);
  for (const index of revoked) {
    if (Number.isInteger(index) && index >= 0 && index < STATUS_LIST_LENGTH) bits[index >> 3]! |= 0x80 >> (index & 7);
  }
  return `u${gzipSync(bits).toString('base64url')}`;
}

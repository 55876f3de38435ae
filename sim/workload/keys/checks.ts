// Assertions shared by the key spaces (programmer errors: scenario/ validates user input first).

import assert from "node:assert/strict";

export function assertCardinality(cardinality: number): void {
  if (!(Number.isSafeInteger(cardinality) && cardinality >= 1)) {
    assert.fail(`cardinality must be a safe integer >= 1, got ${cardinality}`);
  }
}

/** Called by every keyAt: the message is built only on failure. */
export function assertIndex(index: number, cardinality: number): void {
  if (!(Number.isSafeInteger(index) && index >= 0 && index < cardinality)) {
    assert.fail(`key index ${index} out of range [0, ${cardinality})`);
  }
}

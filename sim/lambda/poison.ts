// Poison records: a share of a partition's records that make every invocation holding them fail. Which
// records they are is drawn once, by position, as a Bernoulli process over the partition's sequence
// numbers (geometric gaps from a named random stream), so every retry of a batch meets the same ones
// and no record needs an object or a draw of its own.

import type { Uniform } from "../engine/index.ts";

export class PoisonMarks {
  private seqs: number[] = [];
  private head = 0;
  /** Records marked one by one (those of poison keys), in the order written. */
  private marked: number[] = [];
  private markedHead = 0;
  private nextSeq: number;

  constructor(
    private readonly share: number,
    private readonly u: Uniform,
  ) {
    this.nextSeq = share > 0 ? this.gap() - 1 : Infinity;
  }

  /** Marks the record at `seq` poison (a record of a poison key); marks come in sequence order. */
  mark(seq: number): void {
    this.marked.push(seq);
  }

  /** The first poison record in [startSeq, endSeq), or Infinity when there is none. */
  firstIn(startSeq: number, endSeq: number): number {
    return Math.min(this.firstDrawnIn(startSeq, endSeq), this.firstMarkedIn(startSeq, endSeq));
  }

  private firstMarkedIn(startSeq: number, endSeq: number): number {
    for (let i = this.markedHead; i < this.marked.length; i++) {
      const seq = this.marked[i];
      if (seq >= endSeq) return Infinity;
      if (seq >= startSeq) return seq;
    }
    return Infinity;
  }

  private firstDrawnIn(startSeq: number, endSeq: number): number {
    if (this.share === 0) return Infinity;
    this.drawTo(endSeq);
    for (let i = this.head; i < this.seqs.length; i++) {
      const seq = this.seqs[i];
      if (seq >= endSeq) return Infinity;
      if (seq >= startSeq) return seq;
    }
    return Infinity;
  }

  /** Forgets the marks before `seq`: no batch will hold them again. */
  dropBefore(seq: number): void {
    while (this.head < this.seqs.length && this.seqs[this.head] < seq) this.head++;
    if (this.head > 1024 && this.head * 2 > this.seqs.length) {
      this.seqs = this.seqs.slice(this.head);
      this.head = 0;
    }
    while (this.markedHead < this.marked.length && this.marked[this.markedHead] < seq) this.markedHead++;
    if (this.markedHead > 1024 && this.markedHead * 2 > this.marked.length) {
      this.marked = this.marked.slice(this.markedHead);
      this.markedHead = 0;
    }
  }

  private drawTo(endSeq: number): void {
    while (this.nextSeq < endSeq) {
      this.seqs.push(this.nextSeq);
      this.nextSeq += this.gap();
    }
  }

  /** Records to the next poison one, at least 1: geometric with success probability `share`. */
  private gap(): number {
    if (this.share >= 1) return 1;
    const u = 1 - this.u();
    return 1 + Math.floor(Math.log(u) / Math.log(1 - this.share));
  }
}

/**
 * Whether key index `keyIndex` is one of the share `share` of keys a function always fails on: a fixed
 * hash of the index, so the same keys are poison in every system and every run of a scenario.
 */
export function isPoisonKey(keyIndex: number, share: number): boolean {
  if (share <= 0) return false;
  let h = Math.imul(keyIndex ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296 < share;
}

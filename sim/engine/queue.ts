// The event queue: a binary min-heap over (timeUs, seq) kept in parallel typed arrays.
//
// Ordering rule (the one total order every run obeys): an event with a smaller time runs first;
// two events with the same time run in the order they were scheduled (smaller seq first). seq is a
// counter incremented on every push and never reused, so the order never depends on heap layout.
//
// Parallel arrays instead of one object per event: pushing allocates nothing once capacity is
// reached, and the sift loops compare doubles in contiguous memory.
//
// Events pushed for the time of the last popped event (zero-delay work: a wake-up, a reply handled
// at once) go to a lane, a plain FIFO beside the heap, instead of through it. The lane's events all
// share one time and are in seq order, so popping merges the two sources by (time, seq): the order
// is the same total order, only cheaper for the events that need no sorting.

export type Handler<T> = (arg: T) => void;

const initialCapacity = 1024;

export class EventQueue {
  private timesUs = new Float64Array(initialCapacity);
  private seqs = new Float64Array(initialCapacity);
  // Filled with undefined rather than created with `new Array(n)`: V8 keeps holey arrays slower.
  private handlers: Array<Handler<any> | undefined> = filledArray(initialCapacity);
  private args: unknown[] = filledArray(initialCapacity);
  private length = 0;
  private nextSeq = 0;
  // The lane: events [laneHead, laneTail) of these arrays, all at laneTimeUs, in seq order.
  private laneSeqs = new Float64Array(initialCapacity);
  private laneHandlers: Array<Handler<any> | undefined> = filledArray(initialCapacity);
  private laneArgs: unknown[] = filledArray(initialCapacity);
  private laneHead = 0;
  private laneTail = 0;
  private laneTimeUs = 0;

  constructor(private readonly pendingMax: number) {}

  get size(): number {
    return this.length + this.laneTail - this.laneHead;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTimeUs(): number {
    const heapUs = this.length > 0 ? this.timesUs[0] : Infinity;
    return this.laneHead < this.laneTail && this.laneTimeUs < heapUs ? this.laneTimeUs : heapUs;
  }

  push<T>(timeUs: number, handler: Handler<T>, arg: T): void {
    if (timeUs === this.poppedTimeUs && (this.laneHead === this.laneTail || timeUs === this.laneTimeUs)) return this.pushLane(timeUs, handler, arg);
    if (this.length === this.timesUs.length) this.grow();
    const seq = this.nextSeq++;
    const times = this.timesUs;
    let hole = this.length++;
    // Sift up: move parents down while the new event orders before them. Every pending event was
    // scheduled earlier (smaller seq), so a parent at the same time stays before the new one.
    while (hole > 0) {
      const parent = (hole - 1) >> 2;
      if (times[parent] <= timeUs) break;
      this.move(parent, hole);
      hole = parent;
    }
    times[hole] = timeUs;
    this.seqs[hole] = seq;
    this.handlers[hole] = handler;
    this.args[hole] = arg;
  }

  /**
   * Takes the seq the next push would get, without pushing: an event that may never need to run
   * keeps its place in the order, and is pushed with pushReserved only if it turns out to matter.
   */
  reserveSeq(): number {
    return this.nextSeq++;
  }

  /** Pushes an event with a seq reserved earlier (pending events may have larger seqs at the same time). */
  pushReserved<T>(timeUs: number, seq: number, handler: Handler<T>, arg: T): void {
    if (this.length === this.timesUs.length) this.grow();
    const times = this.timesUs;
    const seqs = this.seqs;
    let hole = this.length++;
    while (hole > 0) {
      const parent = (hole - 1) >> 2;
      if (times[parent] < timeUs || (times[parent] === timeUs && seqs[parent] < seq)) break;
      this.move(parent, hole);
      hole = parent;
    }
    times[hole] = timeUs;
    seqs[hole] = seq;
    this.handlers[hole] = handler;
    this.args[hole] = arg;
  }

  // The last popped event, read by the run loop after pop(): fields instead of a returned tuple,
  // so popping allocates nothing.
  poppedTimeUs = 0;
  /** -1 until the first pop. */
  poppedSeq = -1;
  poppedHandler: Handler<any> | undefined = undefined;
  poppedArg: unknown = undefined;

  /** Pops the earliest event if there is one at or before endUs; returns whether it did. */
  popUntil(endUs: number): boolean {
    if (this.laneHead < this.laneTail) {
      const laneUs = this.laneTimeUs;
      const heapUs = this.length > 0 ? this.timesUs[0] : Infinity;
      if (laneUs < heapUs || (laneUs === heapUs && this.laneSeqs[this.laneHead] < this.seqs[0])) return laneUs <= endUs && this.popLane();
    }
    if (this.length === 0 || this.timesUs[0] > endUs) return false;
    this.poppedTimeUs = this.timesUs[0];
    this.poppedSeq = this.seqs[0];
    this.poppedHandler = this.handlers[0];
    this.poppedArg = this.args[0];
    const last = --this.length;
    if (last > 0) this.siftDownFrom(last);
    this.handlers[last] = undefined;
    this.args[last] = undefined;
    return true;
  }

  /** Appends to the lane (its events are at timeUs, pushed after every one pending there). */
  private pushLane<T>(timeUs: number, handler: Handler<T>, arg: T): void {
    if (this.laneTail === this.laneSeqs.length) this.growLane();
    const tail = this.laneTail++;
    this.laneTimeUs = timeUs;
    this.laneSeqs[tail] = this.nextSeq++;
    this.laneHandlers[tail] = handler;
    this.laneArgs[tail] = arg;
  }

  private popLane(): boolean {
    const head = this.laneHead++;
    this.poppedTimeUs = this.laneTimeUs;
    this.poppedSeq = this.laneSeqs[head];
    this.poppedHandler = this.laneHandlers[head];
    this.poppedArg = this.laneArgs[head];
    this.laneHandlers[head] = undefined;
    this.laneArgs[head] = undefined;
    if (this.laneHead === this.laneTail) {
      this.laneHead = 0;
      this.laneTail = 0;
    }
    return true;
  }

  /** A full lane moves its events to the front, or doubles when more than half of it is in use. */
  private growLane(): void {
    const count = this.laneTail - this.laneHead;
    if (count * 2 > this.laneSeqs.length) {
      if (this.size >= this.pendingMax) throw new PendingLimitError(this.pendingMax);
      const seqs = new Float64Array(this.laneSeqs.length * 2);
      seqs.set(this.laneSeqs);
      this.laneSeqs = seqs;
      for (let i = this.laneHandlers.length; i < seqs.length; i++) {
        this.laneHandlers.push(undefined);
        this.laneArgs.push(undefined);
      }
    }
    if (this.laneHead === 0) return;
    this.laneSeqs.copyWithin(0, this.laneHead, this.laneTail);
    for (let i = 0; i < count; i++) {
      this.laneHandlers[i] = this.laneHandlers[this.laneHead + i];
      this.laneArgs[i] = this.laneArgs[this.laneHead + i];
    }
    for (let i = count; i < this.laneTail; i++) {
      this.laneHandlers[i] = undefined;
      this.laneArgs[i] = undefined;
    }
    this.laneHead = 0;
    this.laneTail = count;
  }

  /** Places the element at index `from` (the old last one) at the root and sifts it down. */
  private siftDownFrom(from: number): void {
    const times = this.timesUs;
    const seqs = this.seqs;
    const timeUs = times[from];
    const seq = seqs[from];
    const handler = this.handlers[from];
    const arg = this.args[from];
    const length = this.length;
    let hole = 0;
    for (;;) {
      const first = 4 * hole + 1;
      if (first >= length) break;
      const last = first + 4 < length ? first + 4 : length;
      let child = first;
      let childTime = times[first];
      for (let c = first + 1; c < last; c++) {
        const t = times[c];
        if (t < childTime || (t === childTime && seqs[c] < seqs[child])) {
          child = c;
          childTime = t;
        }
      }
      if (timeUs < childTime || (timeUs === childTime && seq < seqs[child])) break;
      this.move(child, hole);
      hole = child;
    }
    times[hole] = timeUs;
    seqs[hole] = seq;
    this.handlers[hole] = handler;
    this.args[hole] = arg;
  }

  private move(from: number, to: number): void {
    this.timesUs[to] = this.timesUs[from];
    this.seqs[to] = this.seqs[from];
    this.handlers[to] = this.handlers[from];
    this.args[to] = this.args[from];
  }

  private grow(): void {
    const capacity = this.timesUs.length * 2;
    if (this.size >= this.pendingMax) {
      throw new PendingLimitError(this.pendingMax);
    }
    const times = new Float64Array(capacity);
    times.set(this.timesUs);
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs);
    this.timesUs = times;
    this.seqs = seqs;
    for (let i = this.handlers.length; i < capacity; i++) {
      this.handlers.push(undefined);
      this.args.push(undefined);
    }
  }
}

export class PendingLimitError extends Error {
  constructor(readonly pendingMax: number) {
    super(
      `the simulation has more than ${pendingMax} events pending at once; a component is scheduling ` +
        `without bound (this is a limit of the engine, not of the modelled system)`,
    );
  }
}

function filledArray(length: number): undefined[] {
  const array: undefined[] = [];
  for (let i = 0; i < length; i++) array.push(undefined);
  return array;
}

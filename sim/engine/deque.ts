// A double-ended queue on a ring buffer: push and shift at opposite ends (and unshift, to put an
// item back at the front), each amortised O(1). The buffer doubles when full and never shrinks, so
// once grown to a component's working size no operation allocates. It replaces arrays with a moving
// head index that were compacted from time to time, which is the same idea written four times.

const initialCapacity = 16;

export class Deque<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(initialCapacity);
  /** Capacity - 1 (the capacity is a power of two). */
  private mask = initialCapacity - 1;
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** The front item (the next shift), or undefined when empty. */
  peek(): T | undefined {
    return this.size === 0 ? undefined : this.items[this.head];
  }

  /** The back item (the last pushed), or undefined when empty. */
  peekLast(): T | undefined {
    return this.size === 0 ? undefined : this.items[(this.head + this.size - 1) & this.mask];
  }

  /** The item `index` places from the front (0 is the front), or undefined past the end. */
  at(index: number): T | undefined {
    return index >= 0 && index < this.size ? this.items[(this.head + index) & this.mask] : undefined;
  }

  push(item: T): void {
    if (this.size > this.mask) this.grow();
    this.items[(this.head + this.size) & this.mask] = item;
    this.size++;
  }

  /** Puts an item at the front (it becomes the next shift). */
  unshift(item: T): void {
    if (this.size > this.mask) this.grow();
    this.head = (this.head - 1) & this.mask;
    this.items[this.head] = item;
    this.size++;
  }

  /** Takes the front item off, or undefined when empty. Its slot is cleared, so the deque holds no reference to it. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
    return item;
  }

  /** Visits the items from front to back. */
  forEach(visit: (item: T) => void): void {
    for (let i = 0; i < this.size; i++) visit(this.items[(this.head + i) & this.mask] as T);
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.size; i++) yield this.items[(this.head + i) & this.mask] as T;
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const items = new Array<T | undefined>(capacity);
    for (let i = 0; i < this.size; i++) items[i] = this.items[(this.head + i) & this.mask];
    this.items = items;
    this.mask = capacity - 1;
    this.head = 0;
  }
}

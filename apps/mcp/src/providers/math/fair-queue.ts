/**
 * Waiting work per owner, handed out round-robin across owners: an owner with a hundred items waiting delays
 * another owner's single item by at most one of its own, not by the hundred. Within an owner, first in first out.
 */
export class FairQueue<T> {
  /** Owners with work waiting, in serving order (a Map keeps insertion order; a served owner goes last). */
  private readonly owners = new Map<string, T[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(owner: string, item: T): void {
    const queue = this.owners.get(owner);
    if (queue) queue.push(item);
    else this.owners.set(owner, [item]);
    this.count++;
  }

  /** The next owner's oldest item; that owner then waits behind every other owner with work. */
  shift(): T | undefined {
    const next = this.owners.entries().next();
    if (next.done) return undefined;
    const [owner, queue] = next.value;
    const item = queue.shift()!;
    this.owners.delete(owner);
    if (queue.length > 0) this.owners.set(owner, queue);
    this.count--;
    return item;
  }

  /** Removes and returns everything waiting. */
  clear(): T[] {
    const all = [...this.owners.values()].flat();
    this.owners.clear();
    this.count = 0;
    return all;
  }
}

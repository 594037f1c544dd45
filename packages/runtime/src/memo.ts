/**
 * A value this isolate read recently, for data that is small, read on hot paths and changed
 * rarely by admins (market codes, checkout pricing data): `get` answers from memory while the
 * value is younger than `maxAgeMs`, else loads it once for every caller waiting at that moment.
 * `forget` drops it after a write this isolate made, so the writer's next read sees the write;
 * other isolates see it within `maxAgeMs` — the bound each caller documents.
 *
 * A load that started before a `forget` is not kept (its answer may predate the write). A load
 * that fails is not kept either; the next `get` tries again.
 */
export class IsolateMemo<T> {
  private entry: { value: T; at: number } | undefined;
  private pending: { promise: Promise<T>; generation: number } | undefined;
  private generation = 0;

  constructor(private readonly maxAgeMs: number) {}

  get(load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const kept = this.entry;
    // A clock that went backwards (a test's, or a new isolate's) counts as too old.
    if (kept && now >= kept.at && now - kept.at < this.maxAgeMs) return Promise.resolve(kept.value);
    if (this.pending?.generation === this.generation) return this.pending.promise;
    const generation = this.generation;
    const promise = load().then(
      (value) => {
        if (this.generation === generation) this.entry = { value, at: now };
        if (this.pending?.promise === promise) this.pending = undefined;
        return value;
      },
      (err: unknown) => {
        if (this.pending?.promise === promise) this.pending = undefined;
        throw err;
      },
    );
    this.pending = { promise, generation };
    return promise;
  }

  forget(): void {
    this.generation++;
    this.entry = undefined;
  }
}

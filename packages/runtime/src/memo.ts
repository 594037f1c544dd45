/**
 * A value this isolate read recently, for data that is small, read on hot paths and changed
 * rarely by admins (market codes, checkout pricing data): `get` answers from memory while the
 * value is younger than `maxAgeMs`, else the caller loads it and keeps it. `forget` drops it after
 * a write this isolate made, so the writer's next read sees the write; other isolates see it
 * within `maxAgeMs` — the bound each caller documents.
 *
 * Callers that miss at the same moment each load: a load is never shared between requests. In
 * workerd a request that awaits a promise settled by another request's I/O has no pending event
 * of its own, and the runtime cancels it as hung ("your Worker's code had hung") — which is what
 * a shared in-flight load did under load when D1 was slow.
 *
 * A load that started before a `forget` is not kept (its answer may predate the write). A load
 * that fails is not kept either; the next `get` tries again.
 */
export class IsolateMemo<T> {
  private entry: { value: T; at: number } | undefined;
  private generation = 0;

  constructor(private readonly maxAgeMs: number) {}

  async get(load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const kept = this.entry;
    // A clock that went backwards (a test's, or a new isolate's) counts as too old.
    if (kept && now >= kept.at && now - kept.at < this.maxAgeMs) return kept.value;
    const generation = this.generation;
    const value = await load();
    if (this.generation === generation) this.entry = { value, at: now };
    return value;
  }

  forget(): void {
    this.generation++;
    this.entry = undefined;
  }
}

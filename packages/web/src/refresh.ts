// Re-fetching a view when events arrive, at most every `intervalMs`, so a
// burst of thousands of events costs a handful of requests.

export class Refresher {
  readonly #load: () => Promise<void>;
  readonly #intervalMs: number;
  #timer: number | undefined;
  #running = false;
  #again = false;
  #stopped = false;

  constructor(load: () => Promise<void>, intervalMs = 100) {
    this.#load = load;
    this.#intervalMs = intervalMs;
  }

  /** Loads now (the first time, or after filters change). */
  async now(): Promise<void> {
    window.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#run();
  }

  /** Something changed: load again soon. */
  soon(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    this.#timer = window.setTimeout(() => {
      this.#timer = undefined;
      void this.#run();
    }, this.#intervalMs);
  }

  async #run(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    try {
      await this.#load();
    } finally {
      this.#running = false;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        this.soon();
      }
    }
  }

  stop(): void {
    this.#stopped = true;
    window.clearTimeout(this.#timer);
  }
}

/** What a job is: its queue, schedule, handler and retry policy (the registry lists them, the runner works them). */
export type JobDefinition<Data extends object = Record<string, unknown>> = {
  /** Queue name, kebab-case. */
  name: string;
  /** Cron expression (UTC) for recurring jobs; omit for jobs that are only sent. A function is read when the runner starts (configurable intervals). */
  schedule?: string | (() => string);
  /**
   * Sub-minute polling (cron has minutes only): every runner sends the job
   * throttled to one per `everySeconds` slot (pg-boss `sendThrottled`), so
   * with any number of workers it runs about once per slot, never in a pile.
   */
  everySeconds?: number;
  handler: (data: Data) => Promise<unknown>;
  retryLimit: number;
  retryBackoff: boolean;
  /** Seconds before the first retry (doubles with retryBackoff). */
  retryDelay?: number;
  /** Runs so often that a completed run is logged at debug level only (failures are always logged). */
  quiet?: boolean;
  /** A job running longer than this is failed and retried. */
  expireInSeconds?: number;
};

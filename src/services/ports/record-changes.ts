/**
 * Word that a record changed, to every instance that keeps it in memory. Keys name the record
 * ("user:<telegram id>", "lines:<user id>").
 */
export type RecordChanges = {
  /** Tells every instance, this one included (at once), that the record under `key` changed. */
  publish(key: string): Promise<void>;
  /** `forget` hears each change any instance publishes; `forgetAll` when changes may have been missed. */
  subscribe(listener: { forget(key: string): void; forgetAll(): void }): void;
  /** False while changes from other instances cannot be heard: nothing is kept then. */
  readonly listening: boolean;
};

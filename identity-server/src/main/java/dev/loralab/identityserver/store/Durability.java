package dev.loralab.identityserver.store;

/** How far a write must have gone before the write call returns. */
public enum Durability {
  /**
   * The write is in the write-ahead log and the log has been flushed to stable storage (fsync).
   * Use before acknowledging anything that depends on the write: a frame counter before the
   * downlink is scheduled, a DevNonce before the join-accept leaves, an entity before the API
   * answers.
   */
  DURABLE,
  /**
   * The write is in the write-ahead log in the operating system's buffers: it survives a crash of
   * the process, not of the machine. For data that can be recomputed or lost without harm.
   */
  BUFFERED
}

package dev.loralab.identityserver.store;

import java.nio.file.Path;

/** The data directory is in use by another process (or another store in this process). */
public final class StoreLockedException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final transient Path directory;

  /** @param directory the database directory whose lock is held */
  public StoreLockedException(Path directory, Throwable cause) {
    super("database " + directory + " is locked: another LoRaLab process (or store) is using it; "
        + "stop it or choose another data directory", cause);
    this.directory = directory;
  }

  /** The database directory whose lock is held. */
  public Path directory() {
    return directory;
  }
}

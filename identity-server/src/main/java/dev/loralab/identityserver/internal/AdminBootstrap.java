package dev.loralab.identityserver.internal;

import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.APIKey;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.User;
import dev.loralab.api.v3.UserIdentifiers;
import dev.loralab.identityserver.ApiKeyRegistry;
import dev.loralab.identityserver.UserRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-start set-up: the user {@code admin} and an admin API key (RIGHT_ALL) written to the admin
 * key file with POSIX mode 0600. If the user exists but the file is missing, a new admin key is
 * issued and written.
 */
public final class AdminBootstrap {
  /** The admin user ID. */
  public static final String ADMIN_USER_ID = "admin";
  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

  private AdminBootstrap() {}

  /**
   * Ensures the admin user and key file exist.
   *
   * @return the admin token if one was issued now
   */
  public static Optional<String> ensure(UserRegistry users, ApiKeyRegistry apiKeys, Path keyFile) {
    if (users.get(ADMIN_USER_ID).isEmpty()) {
      users.create(User.newBuilder()
          .setIds(UserIdentifiers.newBuilder().setUserId(ADMIN_USER_ID))
          .setName("Administrator").setAdmin(true).build());
      LOG.info("created user {}", ADMIN_USER_ID);
    } else if (keyFile == null || Files.exists(keyFile)) {
      return Optional.empty();
    }
    APIKey key = apiKeys.create(EntityKeys.user(ADMIN_USER_ID), "admin",
        List.of(Right.RIGHT_ALL), Optional.empty());
    if (keyFile != null) {
      writePrivate(keyFile, key.getKey() + "\n");
      LOG.info("wrote admin API key {} to {}", key.getId(), keyFile);
    }
    return Optional.of(key.getKey());
  }

  /** Writes {@code content} to {@code file}, readable and writable by the owner only. */
  static void writePrivate(Path file, String content) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = dir.resolve(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
      if (posix) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(tmp);
      }
      if (posix) {
        // The creation mode is subject to the umask; set it explicitly.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(tmp, content, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      throw new UncheckedIOException("cannot write " + file + ": temporary file exists", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}

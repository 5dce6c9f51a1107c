package dev.loralab.cli.stack;

import dev.loralab.cli.config.StackConfig;
import dev.loralab.events.EventCatalogue;
import dev.loralab.web.Router;
import io.grpc.BindableService;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway, network, join and application servers of a {@link Stack}, wired to each other
 * through the in-process {@code api} interfaces and to the identity server through store adapters.
 */
final class ServerModules implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServerModules.class);

  private final Stack stack;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService handlers;
  private final List<String> running = new ArrayList<>();
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private int udpPort = -1;

  ServerModules(Stack stack, ScheduledExecutorService scheduler, ExecutorService handlers) {
    this.stack = stack;
    this.scheduler = scheduler;
    this.handlers = handlers;
  }

  /** Registers every module's event definitions; a duplicate name fails. */
  void registerEvents(EventCatalogue catalogue) {
  }

  /** Registers the modules' HTTP routes. */
  void registerRoutes(Router router) {
  }

  /** The modules' gRPC services. */
  List<BindableService> grpcServices() {
    return List.of();
  }

  /** Starts the modules and binds UDP. */
  void start(StackConfig config) {
    LOG.debug("server modules running: {}", running);
  }

  int udpPort() {
    return udpPort;
  }

  List<String> running() {
    return List.copyOf(running);
  }

  @Override
  public void close() {
    while (!closeables.isEmpty()) {
      try {
        closeables.pop().close();
      } catch (Exception e) {
        LOG.warn("error while stopping a server", e);
      }
    }
  }
}

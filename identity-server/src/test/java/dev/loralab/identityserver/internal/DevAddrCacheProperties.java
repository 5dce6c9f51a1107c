package dev.loralab.identityserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.identityserver.RegistryException;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.Entry;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.Namespace;
import dev.loralab.identityserver.store.ProtoTable;
import dev.loralab.identityserver.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The registry's DevAddr index cache against the store: random creates, session and pending
 * session changes (new addresses, rejoins that promote the pending session, sessions that end),
 * frame counter updates, deletes and application deletes, some of them failing (applied or not),
 * some made while a {@code byDevAddr} is between its scan of the index and its answer, through
 * {@code update} or {@code editAsync}. After every
 * step, {@code byDevAddr} of every address of a small pool (shared by several devices) equals what
 * a registry without caches reads from the same store, with tiny capacities that force evictions.
 */
class DevAddrCacheProperties {
  private static final int DEVICES = 5;
  private static final String[] ADDRS = {"26000001", "26000002", "26000003", "2600000A"};

  /** A step: {@code kind} on device {@code device} with address {@code addr}. */
  record Op(Kind kind, int device, int addr, Failure failure) {}

  enum Kind {
    CREATE, SET_SESSION_ADDR, SET_PENDING_ADDR, PROMOTE_PENDING, CLEAR_SESSION, CLEAR_PENDING,
    FCNT_UP, DELETE, DELETE_APPLICATION,
    /** A read of the address whose scan is followed, before it answers, by the next step. */
    RACING_READ
  }

  enum Failure { NONE, NONE2, NONE3, NOT_APPLIED, APPLIED }

  /** A store whose next write can fail and whose next index scan can run an action first. */
  static final class FaultyStore extends ForwardingStore {
    Failure nextWrite = Failure.NONE;
    Runnable beforeScanAnswers;

    @Override
    public void write(Batch batch, Durability durability) {
      Failure f = nextWrite;
      nextWrite = Failure.NONE;
      if (f == Failure.NOT_APPLIED) {
        throw new StoreException("injected failure, not applied");
      }
      inner.write(batch, durability);
      if (f == Failure.APPLIED) {
        throw new StoreException("injected failure, applied");
      }
    }

    @Override
    public List<Entry> scan(Namespace namespace, String prefix) {
      List<Entry> answer = inner.scan(namespace, prefix);
      Runnable r = beforeScanAnswers;
      if (r != null && namespace.equals(Namespaces.END_DEVICE_ADDRS)) {
        beforeScanAnswers = null;
        r.run();
      }
      return answer;
    }
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(Arbitraries.of(Kind.class),
            Arbitraries.integers().between(0, DEVICES - 1),
            Arbitraries.integers().between(0, ADDRS.length - 1), Arbitraries.of(Failure.class))
        .as(Op::new).list().ofMaxSize(60);
  }

  final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  final EntityValidation validation = new EntityValidation(id -> true);

  @Property(tries = 300)
  void byDevAddrEqualsTheStoreAfterEveryStep(@ForAll("ops") List<Op> ops,
      @ForAll @IntRange(min = 0, max = 3) int deviceCapacity,
      @ForAll @IntRange(min = 1, max = 3) int addrCapacity) {
    try (FaultyStore store = new FaultyStore()) {
      ProtoTable<Application> apps =
          new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser());
      apps.put("app1", app(), Durability.DURABLE);
      StoreEndDeviceRegistry registry = new StoreEndDeviceRegistry(store, validation, clock,
          new KeyedLocks(), deviceCapacity, addrCapacity);
      StoreEndDeviceRegistry reference = new StoreEndDeviceRegistry(store, validation, clock,
          new KeyedLocks(), 0, 0);
      for (int i = 0; i < ops.size(); i++) {
        Op op = ops.get(i);
        if (op.kind() == Kind.RACING_READ && i + 1 < ops.size()) {
          Op next = ops.get(++i);
          store.beforeScanAnswers = () -> apply(store, registry, apps, next);
          registry.byDevAddr(ADDRS[op.addr()]);
          store.beforeScanAnswers = null;
        } else {
          apply(store, registry, apps, op);
        }
        for (String a : ADDRS) {
          assertThat(registry.byDevAddr(a)).as("step %d (%s), DevAddr %s", i, op, a)
              .isEqualTo(reference.byDevAddr(a));
          assertThat(registry.byDevAddr(a.toLowerCase(java.util.Locale.ROOT)))
              .isEqualTo(reference.byDevAddr(a));
        }
        assertThat(registry.devAddrCache().size()).isLessThanOrEqualTo(addrCapacity);
      }
    }
  }

  private void apply(FaultyStore store, StoreEndDeviceRegistry registry,
      ProtoTable<Application> apps, Op op) {
    String addr = ADDRS[op.addr()];
    store.nextWrite = op.failure();
    try {
      switch (op.kind()) {
        case CREATE -> registry.create(StoreEndDeviceRegistryCacheTest.abp("dev" + op.device(),
            "00000000000000A" + op.device(), addr));
        case SET_SESSION_ADDR -> update(registry, op, d -> d.toBuilder()
            .setSession(d.getSession().toBuilder().setDevAddr(addr)).build());
        case SET_PENDING_ADDR -> update(registry, op, d -> d.toBuilder()
            .setPendingSession(d.getSession().toBuilder().setDevAddr(addr)).build());
        case PROMOTE_PENDING -> update(registry, op, d -> d.hasPendingSession()
            ? d.toBuilder().setSession(d.getPendingSession()).clearPendingSession().build() : d);
        case CLEAR_SESSION -> update(registry, op, d -> d.toBuilder().clearSession().build());
        case CLEAR_PENDING -> update(registry, op,
            d -> d.toBuilder().clearPendingSession().build());
        case FCNT_UP -> update(registry, op, d -> d.toBuilder().setSession(d.getSession()
            .toBuilder().setLastFCntUp(d.getSession().getLastFCntUp() + 1)).build());
        case DELETE -> registry.delete(ids(op.device()));
        case DELETE_APPLICATION -> registry.deleteAll("app1");
        case RACING_READ -> registry.byDevAddr(addr);
        default -> throw new AssertionError(op);
      }
    } catch (RegistryException | StoreException expected) {
      // Not found, already exists, or the injected failure.
    } finally {
      store.nextWrite = Failure.NONE;
    }
  }

  /** Even devices are updated through {@code editAsync}, odd ones through {@code update}. */
  private static void update(StoreEndDeviceRegistry registry, Op op,
      UnaryOperator<EndDevice> mutator) {
    if (op.device() % 2 == 1) {
      registry.update(ids(op.device()), mutator, Durability.DURABLE);
      return;
    }
    try {
      registry.editAsync(ids(op.device()), b -> {
        EndDevice changed = mutator.apply(b.build());
        b.clear().mergeFrom(changed);
      }, Durability.DURABLE).join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  private static EndDeviceIdentifiers ids(int device) {
    return StoreEndDeviceRegistryCacheTest.ids("dev" + device);
  }

  private static Application app() {
    return Application.newBuilder()
        .setIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build();
  }
}

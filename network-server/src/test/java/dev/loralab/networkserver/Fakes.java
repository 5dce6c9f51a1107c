package dev.loralab.networkserver;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import dev.loralab.api.ApiException;
import dev.loralab.api.NsAs;
import dev.loralab.api.NsGs;
import dev.loralab.api.NsJs;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.JoinResponse;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.ScheduleDownlinkResponse;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.NetId;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.crypto.SessionKeyDerivation;
import dev.loralab.lorawan.crypto.SessionKeys10;
import dev.loralab.lorawan.frame.CfList;
import dev.loralab.lorawan.frame.DlSettings;
import dev.loralab.lorawan.frame.JoinAccept;
import dev.loralab.lorawan.frame.JoinRequest;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test doubles of the cluster peers (the event bus is events' RecordingEventBus). */
final class Fakes {

  private Fakes() {}

  /** Polls {@code condition} until true (generous timeout, no timing assertions). */
  static void await(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  /** A Gateway Server that accepts (or refuses) every downlink and records it. */
  static final class FakeGs implements NsGs {
    final List<DownlinkMessage> scheduled = new CopyOnWriteArrayList<>();
    final List<String> order;
    volatile ApiException refuse;
    /** While set, answers are held in {@link #held} until the test completes them. */
    volatile boolean hold;
    final List<CompletableFuture<ScheduleDownlinkResponse>> held = new CopyOnWriteArrayList<>();
    /** Downlinks offered to {@link #checkDownlink}. */
    final List<DownlinkMessage> checked = new CopyOnWriteArrayList<>();
    /** While set, {@link #checkDownlink} refuses with it (scheduling follows {@link #refuse}). */
    volatile ApiException refuseCheck;

    FakeGs(List<String> order) {
      this.order = order;
    }

    @Override
    public CompletableFuture<Void> checkDownlink(DownlinkMessage down) {
      order.add("check");
      checked.add(down);
      if (refuseCheck != null) {
        return CompletableFuture.failedFuture(refuseCheck);
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<ScheduleDownlinkResponse> scheduleDownlink(DownlinkMessage down) {
      order.add("schedule");
      scheduled.add(down);
      if (hold) {
        CompletableFuture<ScheduleDownlinkResponse> f = new CompletableFuture<>();
        held.add(f);
        return f;
      }
      if (refuse != null) {
        return CompletableFuture.failedFuture(refuse);
      }
      return CompletableFuture.completedFuture(ScheduleDownlinkResponse.newBuilder()
          .setDelay(Duration.newBuilder().setSeconds(1)).setRx1(true)
          .setDownlinkPath(down.getRequest().getDownlinkPaths(0)).build());
    }
  }

  /** An Application Server that records what it is given. */
  static final class FakeAs implements NsAs {
    final List<ApplicationUp> ups = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> handleUplink(List<ApplicationUp> l) {
      ups.addAll(l);
      return CompletableFuture.completedFuture(null);
    }
  }

  /**
   * A LoRaWAN 1.0.x Join Server: checks the MIC with the AppKey, refuses used DevNonces, derives
   * the session keys and encrypts the join-accept.
   */
  static final class FakeJs implements NsJs {
    final Map<Eui64, AesKey> appKeys = new ConcurrentHashMap<>();
    final Map<Eui64, List<Integer>> nonces = new ConcurrentHashMap<>();
    final Map<Eui64, SessionKeys10> derived = new ConcurrentHashMap<>();
    volatile int joinNonce = 1;

    @Override
    public CompletableFuture<JoinResponse> handleJoin(dev.loralab.api.v3.JoinRequest req) {
      byte[] raw = req.getRawPayload().toByteArray();
      JoinRequest jr = (JoinRequest) PhyPayloadCodec.decode(raw);
      AesKey appKey = appKeys.get(jr.devEui());
      if (appKey == null) {
        return CompletableFuture.failedFuture(ApiException.notFound("device " + jr.devEui()));
      }
      Mic mic = Mics.joinRequestMic(appKey, Arrays.copyOf(raw, raw.length - 4));
      if (!mic.equals(jr.mic())) {
        // as a Join Server across gRPC would fail: the error name travels in the trailers
        return CompletableFuture.failedFuture(new ApiException(Status.Code.INVALID_ARGUMENT,
            "MIC mismatch").withAttribute("reason", "mic_mismatch").withName("mic_mismatch")
            .toStatusRuntimeException());
      }
      List<Integer> used = nonces.computeIfAbsent(jr.devEui(), k -> new CopyOnWriteArrayList<>());
      if (used.contains(jr.devNonce().value())) {
        return CompletableFuture.failedFuture(new ApiException(Status.Code.INVALID_ARGUMENT,
            "DevNonce " + jr.devNonce() + " already used").withAttribute("reason",
            "dev_nonce_reused").withName("dev_nonce_reused"));
      }
      used.add(jr.devNonce().value());
      byte[] nid = req.getNetId().toByteArray();
      NetId netId = new NetId(((nid[0] & 0xFF) << 16) | ((nid[1] & 0xFF) << 8) | (nid[2] & 0xFF));
      DevAddr devAddr = new DevAddr(java.nio.ByteBuffer.wrap(req.getDevAddr().toByteArray())
          .getInt());
      JoinNonce jn = new JoinNonce(joinNonce++);
      Optional<CfList> cf = Optional.empty();
      if (req.hasCfList() && req.getCfList().getFreqCount() > 0) {
        long[] hz = req.getCfList().getFreqList().stream().mapToLong(f -> f * 100L).toArray();
        cf = Optional.of(CfList.Frequencies.of(hz));
      }
      var dl = req.getDownlinkSettings();
      JoinAccept ja = new JoinAccept(jn, netId, devAddr,
          new DlSettings(false, dl.getRx1DrOffset(), dl.getRx2Dr()), req.getRxDelay(), cf,
          new Mic(0));
      ja = ja.withMic(Mics.joinAcceptMic10(appKey, PhyPayloadCodec.encodeWithoutMic(ja)));
      byte[] clear = PhyPayloadCodec.encode(ja);
      byte[] enc = PayloadCipher.joinAcceptEncrypt(appKey,
          Arrays.copyOfRange(clear, 1, clear.length));
      byte[] out = new byte[clear.length];
      out[0] = clear[0];
      System.arraycopy(enc, 0, out, 1, enc.length);
      SessionKeys10 keys = SessionKeyDerivation.derive10(appKey, jn, netId, jr.devNonce());
      derived.put(jr.devEui(), keys);
      return CompletableFuture.completedFuture(JoinResponse.newBuilder()
          .setRawPayload(ByteString.copyFrom(out))
          .setSessionKeys(SessionKeys.newBuilder()
              .setSessionKeyId(ByteString.copyFromUtf8("sk-" + jn.value()))
              .setFNwkSIntKey(KeyEnvelope.newBuilder().setKey(keys.nwkSKey().toHex()))
              .setSNwkSIntKey(KeyEnvelope.newBuilder().setKey(keys.nwkSKey().toHex()))
              .setNwkSEncKey(KeyEnvelope.newBuilder().setKey(keys.nwkSKey().toHex()))
              .setAppSKey(KeyEnvelope.newBuilder().setKey(keys.appSKey().toHex())))
          .build());
    }
  }

  static List<String> newOrder() {
    return new CopyOnWriteArrayList<>(new ArrayList<>());
  }
}

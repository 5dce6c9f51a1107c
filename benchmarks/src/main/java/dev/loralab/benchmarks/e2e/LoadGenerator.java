package dev.loralab.benchmarks.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load generator (its own JVM): {@code M} gateways send PUSH_DATA over loopback UDP at a
 * fixed rate, each from its own loopback address ({@code 127.1.x.y}, so the gateway server's
 * per-address rate limit applies per gateway as in a real deployment), each carrying one valid data uplink of one of {@code N} ABP devices, round-robin, so
 * every device's FCntUp increases by one per round and never repeats. Prints one JSON line with
 * what was sent.
 *
 * <pre>
 * java -cp benchmarks.jar dev.loralab.benchmarks.e2e.LoadGenerator --target 127.0.0.1:1700 \
 *   --devices 10000 --gateways 10 --rate 5000 --duration 30 --fcnt-start 1 --fcnt-spread 200
 * </pre>
 *
 * <p>With {@code --fcnt-spread S} device {@code i}'s counters run {@link UplinkFrames#fCntOffset}
 * ahead of the round, so the fleet is not in step.
 *
 * <p>With {@code --join} the devices are the OTAA ones and each sends join-requests with DevNonce
 * {@code fcnt-start + round} instead.
 */
public final class LoadGenerator {

  private LoadGenerator() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Args.parse(args);
    String[] target = a.getOrDefault("target", "127.0.0.1:1700").split(":");
    InetSocketAddress server = new InetSocketAddress(target[0], Integer.parseInt(target[1]));
    int devices = Integer.parseInt(a.getOrDefault("devices", "1000"));
    int gateways = Integer.parseInt(a.getOrDefault("gateways", "10"));
    double rate = Double.parseDouble(a.getOrDefault("rate", "1000"));
    double durationS = Double.parseDouble(a.getOrDefault("duration", "10"));
    long fCntStart = Long.parseLong(a.getOrDefault("fcnt-start", "1"));
    // --fcnt-spread S: device i starts S-spread counters ahead (UplinkFrames.fCntOffset); data only.
    int fCntSpread = Integer.parseInt(a.getOrDefault("fcnt-spread", "0"));
    long total = a.containsKey("count") ? Long.parseLong(a.get("count")) : (long) (rate * durationS);
    // --join: join-requests of the OTAA devices instead, DevNonce = fcnt-start + round (fresh).
    boolean join = a.containsKey("join");

    DatagramChannel[] channels = new DatagramChannel[gateways];
    Selector selector = Selector.open();
    for (int g = 0; g < gateways; g++) {
      DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
      ch.bind(new InetSocketAddress(UplinkFrames.gatewayAddress(g), 0));
      ch.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 1 << 20);
      ch.connect(server);
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, UplinkFrames.gatewayEui(g));
      channels[g] = ch;
      ch.write(ByteBuffer.wrap(UplinkFrames.pullData(g, UplinkFrames.gatewayEui(g))));
    }
    ByteBuffer rx = ByteBuffer.allocate(65536);
    long acks = 0;
    long sendFailures = 0;
    long statusAnswers = 0;
    BitSet statusRequested = new BitSet(devices);
    long start = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    long lastPull = start;
    long lastProgress = start;
    long sent = 0;
    while (sent < total) {
      long now = System.nanoTime();
      long due = Math.min(total, (long) ((now - start) / 1e9 * rate) + 1);
      while (sent < due) {
        long seq = sent;
        int dev = (int) (seq % devices);
        long fCnt = fCntStart + seq / devices + (join ? 0 : UplinkFrames.fCntOffset(dev, fCntSpread));
        int g = (int) (seq % gateways);
        boolean answer = statusRequested.get(dev);
        if (answer) {
          statusRequested.clear(dev);
          statusAnswers++;
        }
        byte[] phy = join ? UplinkFrames.joinRequest(new BenchDevice(dev), (int) (fCnt & 0xFFFF))
            : UplinkFrames.dataUplink(new BenchDevice(dev), fCnt, (int) seq, answer);
        long tmst = (System.nanoTime() - start) / 1000;
        ByteBuffer d = ByteBuffer.wrap(UplinkFrames.pushData((int) seq, UplinkFrames.gatewayEui(g), phy, tmst));
        if (!trySend(channels[g], d)) {
          sendFailures++;
        }
        sent++;
      }
      if (now - lastPull > TimeUnit.SECONDS.toNanos(5)) {
        for (int g = 0; g < gateways; g++) {
          trySend(channels[g], ByteBuffer.wrap(UplinkFrames.pullData(g, UplinkFrames.gatewayEui(g))));
        }
        lastPull = now;
      }
      acks += drain(selector, rx, statusRequested);
      if (now - lastProgress > TimeUnit.SECONDS.toNanos(5)) {
        System.err.printf("generator: sent %d/%d, acks %d%n", sent, total, acks);
        lastProgress = now;
      }
      LockSupport.parkNanos(200_000);
    }
    long endMillis = System.currentTimeMillis();
    double seconds = (System.nanoTime() - start) / 1e9;
    // Collect the last acknowledgements.
    long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (System.nanoTime() < drainUntil) {
      acks += drain(selector, rx, statusRequested);
      LockSupport.parkNanos(10_000_000);
    }
    for (DatagramChannel ch : channels) {
      ch.close();
    }
    System.out.printf("{\"sent\":%d,\"send_failures\":%d,\"acks\":%d,\"dev_status_answers\":%d,"
        + "\"start_millis\":%d,\"end_millis\":%d,\"seconds\":%.3f,\"rate\":%.1f}%n", sent, sendFailures, acks,
        statusAnswers, startMillis, endMillis, seconds, sent / seconds);
  }

  /**
   * Reads every pending acknowledgement (PUSH_ACK, PULL_ACK, PULL_RESP) and answers each PULL_RESP
   * with a TX_ACK, as a protocol-v2 packet forwarder does; returns how many datagrams it read.
   */
  private static long drain(Selector selector, ByteBuffer rx, BitSet statusRequested) throws IOException {
    long n = 0;
    if (selector.selectNow() == 0) {
      return 0;
    }
    for (SelectionKey k : selector.selectedKeys()) {
      DatagramChannel ch = (DatagramChannel) k.channel();
      rx.clear();
      int len;
      while ((len = ch.read(rx)) > 0) {
        n++;
        // A real device answers the network's DevStatusReq in its next uplink (LoRaWAN §5.5).
        int target = UplinkFrames.devStatusRequestTarget(rx.array(), len);
        if (target >= 0 && target < statusRequested.size()) {
          statusRequested.set(target);
        }
        byte[] txAck = UplinkFrames.txAckFor(rx.array(), len, (Long) k.attachment());
        if (txAck != null) {
          trySend(ch, ByteBuffer.wrap(txAck));
        }
        rx.clear();
      }
    }
    selector.selectedKeys().clear();
    return n;
  }

  private static boolean trySend(DatagramChannel ch, ByteBuffer d) throws IOException {
    for (int attempt = 0; attempt < 1000; attempt++) {
      if (ch.write(d) > 0) {
        return true;
      }
      LockSupport.parkNanos(20_000);
    }
    return false;
  }
}

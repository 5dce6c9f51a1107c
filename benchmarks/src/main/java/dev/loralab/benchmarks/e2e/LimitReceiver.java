package dev.loralab.benchmarks.e2e;

import dev.loralab.gatewayserver.udp.Rxpk;
import dev.loralab.gatewayserver.udp.SemtechPacket;
import dev.loralab.gatewayserver.udp.SemtechUdpCodec;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.FCnt;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.PhyPayload;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The "limit" of the end-to-end benchmark (its own JVM): receives the load generator's PUSH_DATA on
 * loopback UDP, acknowledges it, decodes the JSON with the gateway server's codec and the
 * PHYPayload, finds the device by DevAddr in a map of {@code N} sessions, rebuilds the 32-bit FCnt
 * and checks the MIC. No events, no storage, one thread. Prints {@code ready} when bound, then one
 * JSON line when no datagram arrived for {@code --idle} seconds after the first one.
 */
public final class LimitReceiver {

  private LimitReceiver() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Args.parse(args);
    int port = Integer.parseInt(a.getOrDefault("port", "0"));
    int devices = Integer.parseInt(a.getOrDefault("devices", "1000"));
    long idleMillis = (long) (Double.parseDouble(a.getOrDefault("idle", "3")) * 1000);
    Map<Integer, AesKey> keys = new HashMap<>(devices * 2);
    for (int i = 0; i < devices; i++) {
      BenchDevice d = new BenchDevice(i);
      keys.put(d.devAddr().value(), d.nwkSKey());
    }
    long[] lastFCnt = new long[devices];
    SemtechUdpCodec codec = new SemtechUdpCodec();
    DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
    ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 8 << 20);
    ch.bind(new InetSocketAddress("127.0.0.1", port));
    ch.configureBlocking(false);
    System.out.println("ready " + ((InetSocketAddress) ch.getLocalAddress()).getPort());
    System.out.flush();
    ByteBuffer buf = ByteBuffer.allocate(65536);
    long valid = 0;
    long invalid = 0;
    long datagrams = 0;
    long first = 0;
    long last = 0;
    long cpuStart = 0;
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    while (true) {
      buf.clear();
      SocketAddress from = ch.receive(buf);
      if (from == null) {
        if (first != 0 && System.currentTimeMillis() - last > idleMillis) {
          break;
        }
        Thread.onSpinWait();
        java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        continue;
      }
      long now = System.currentTimeMillis();
      if (first == 0) {
        first = now;
        cpuStart = threads.getCurrentThreadCpuTime();
      }
      last = now;
      datagrams++;
      buf.flip();
      byte[] d = Arrays.copyOf(buf.array(), buf.limit());
      try {
        SemtechPacket p = codec.decode(d);
        if (p instanceof SemtechPacket.PushData pd) {
          ch.send(ByteBuffer.wrap(new byte[] {(byte) pd.version(), d[1], d[2], 0x01}), from);
          for (Rxpk r : pd.rxpk()) {
            if (checkMic(r.data().toArray(), keys, lastFCnt)) {
              valid++;
            } else {
              invalid++;
            }
          }
        }
      } catch (RuntimeException e) {
        invalid++;
      }
    }
    long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
    double seconds = Math.max(1, last - first) / 1000.0;
    System.out.printf("{\"datagrams\":%d,\"valid\":%d,\"invalid\":%d,\"first_millis\":%d,\"last_millis\":%d,"
        + "\"rate\":%.1f,\"cpu_ns_per_uplink\":%.0f}%n", datagrams, valid, invalid, first, last, valid / seconds,
        valid == 0 ? 0.0 : (double) cpuNanos / valid);
    ch.close();
  }

  private static boolean checkMic(byte[] phy, Map<Integer, AesKey> keys, long[] lastFCnt) {
    PhyPayload p = PhyPayloadCodec.decode(phy);
    if (!(p instanceof DataFrame f)) {
      return false;
    }
    DevAddr addr = f.fHdr().devAddr();
    AesKey key = keys.get(addr.value());
    int index = BenchDevice.indexOf(addr.value());
    if (key == null || index < 0 || index >= lastFCnt.length) {
      return false;
    }
    long fCnt = FCnt.reconstruct(lastFCnt[index], f.fHdr().fCnt());
    Mic mic = Mics.dataUplinkMic10(key, addr, fCnt, Arrays.copyOf(phy, phy.length - Mic.SIZE));
    if (!Mics.equalsConstantTime(mic, f.mic())) {
      return false;
    }
    lastFCnt[index] = fCnt;
    return true;
  }
}

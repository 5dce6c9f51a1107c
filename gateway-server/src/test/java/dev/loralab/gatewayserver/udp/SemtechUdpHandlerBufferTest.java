package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.lorawan.Eui64;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The handler decodes datagrams in heap buffers (at any array offset) and in direct buffers (from
 * its reused scratch array) exactly as the codec decodes a copy of their bytes, and a packet it
 * handed on keeps its values when later datagrams are read.
 */
class SemtechUdpHandlerBufferTest {

  static final InetSocketAddress GATEWAY = new InetSocketAddress("192.0.2.1", 40_000);
  static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.2", 1700);

  final SemtechUdpCodec codec = new SemtechUdpCodec();
  final List<SemtechPacket> packets = new ArrayList<>();
  final List<String> drops = new ArrayList<>();
  final EmbeddedChannel channel = new EmbeddedChannel(new SemtechUdpHandler(codec,
      new AddressRateLimiter(1000, 1000, 10, Clock.systemUTC()), new SemtechUdpListener() {
        @Override
        public void onPacket(SemtechPacket packet, InetSocketAddress sender) {
          packets.add(packet);
        }

        @Override
        public void onDrop(DropReason reason, InetSocketAddress sender, String detail) {
          drops.add(reason + ": " + detail);
        }
      }));

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  /** A PUSH_DATA datagram: version 2, token 0x1234, type 0, gateway EUI 0102030405060708. */
  static byte[] pushData(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] d = new byte[12 + body.length];
    d[0] = 2;
    d[1] = 0x12;
    d[2] = 0x34;
    d[3] = 0;
    for (int i = 0; i < 8; i++) {
      d[4 + i] = (byte) (i + 1);
    }
    System.arraycopy(body, 0, d, 12, body.length);
    return d;
  }

  static final byte[] LONG = pushData("{\"rxpk\":[{\"tmst\":3512348611,\"chan\":2,\"rfch\":0,"
      + "\"freq\":868.500000,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\",\"codr\":\"4/5\","
      + "\"lsnr\":7.8,\"rssi\":-35,\"size\":17,\"data\":\"QPF9vkkAAgABlUN4disR/w0=\"}]}");
  static final byte[] SHORT = pushData("{\"rxpk\":[{\"tmst\":1,\"freq\":868.1,\"modu\":\"LORA\","
      + "\"datr\":\"SF12BW125\",\"data\":\"QA==\"}]}");

  void read(ByteBuf content) {
    channel.writeInbound(new DatagramPacket(content, SERVER, GATEWAY));
  }

  @Test
  void directBuffersDecodeAsTheirBytesAndPacketsKeepTheirValues() {
    SemtechPacket expectedLong = codec.decode(LONG.clone());
    SemtechPacket expectedShort = codec.decode(SHORT.clone());
    ByteBuf first = PooledByteBufAllocator.DEFAULT.directBuffer();
    first.writeBytes(LONG);
    read(first);
    // the second, shorter datagram is copied over the first one's bytes in the scratch array
    ByteBuf second = PooledByteBufAllocator.DEFAULT.directBuffer();
    second.writeBytes(SHORT);
    read(second);
    assertThat(drops).isEmpty();
    assertThat(packets).containsExactly(expectedLong, expectedShort);
    assertThat(((PushData) packets.get(0)).rxpk().get(0).data().length()).isEqualTo(17);
    assertThat(first.refCnt()).isZero();
    assertThat(second.refCnt()).isZero();
  }

  @Test
  void heapBuffersAreDecodedAtTheirOffsets() {
    // LONG inside a larger array, read from a slice: array offset 5, reader index 3 in the slice
    byte[] backing = new byte[LONG.length + 20];
    java.util.Arrays.fill(backing, (byte) '{');
    System.arraycopy(LONG, 0, backing, 8, LONG.length);
    ByteBuf slice = Unpooled.wrappedBuffer(backing).slice(5, LONG.length + 10);
    slice.readerIndex(3);
    slice.writerIndex(3 + LONG.length);
    assertThat(slice.hasArray()).isTrue();
    read(slice);
    assertThat(drops).isEmpty();
    assertThat(packets).containsExactly(codec.decode(LONG.clone()));
  }

  @Test
  void malformedDirectDatagramsAreDroppedWithTheCodecsReason() {
    byte[] bad = pushData("{\"rxpk\":[{\"tmst\":1}]");
    String expected;
    try {
      codec.decode(bad.clone());
      throw new AssertionError("decoded");
    } catch (SemtechUdpException e) {
      expected = e.reason() + ": " + e.getMessage();
    }
    ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer();
    direct.writeBytes(bad);
    read(direct);
    assertThat(packets).isEmpty();
    assertThat(drops).containsExactly(expected);
  }

  @Test
  void theLargestDatagramFitsAndOneMoreIsOversized() {
    int max = codec.limits().maxDatagramBytes();
    StringBuilder json = new StringBuilder("{\"rxpk\":[],\"pad\":\"");
    while (json.length() < max - 12 - 2) {
      json.append('x');
    }
    json.append("\"}");
    byte[] largest = pushData(json.toString());
    assertThat(largest).hasSize(max);
    ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer();
    direct.writeBytes(largest);
    read(direct);
    assertThat(packets).containsExactly(codec.decode(largest.clone()));
    ByteBuf tooLarge = PooledByteBufAllocator.DEFAULT.directBuffer();
    tooLarge.writeBytes(largest).writeByte(' ');
    read(tooLarge);
    assertThat(drops).containsExactly(DropReason.OVERSIZED + ": " + (max + 1) + " bytes");
  }
}

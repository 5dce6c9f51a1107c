package dev.loralab.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.ProtoJsonException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link ProtoJson#printUtf8} against the String printer it shortcuts: for every message, the bytes
 * equal {@code (prefix + print(m) + suffix).getBytes(UTF_8)}, and it fails exactly where print fails.
 */
class WireJsonPrinterUtf8Test {
  private static final String[][] FRAMES = {
      {"", ""}, {"{\"result\":", "}\n"}, {"id: 01KAXQ4ZK3V0M5F0H7S6W2J8YB\ndata: {\"result\":", "}\n\n"},
      {"é€😀 ", " ü"}};

  /** Asserts printUtf8 with each frame gives the re-encoded String print, or both fail. */
  static void assertUtf8LikeString(Message m) {
    String json;
    try {
      json = ProtoJson.print(m);
    } catch (ProtoJsonException e) {
      assertThatThrownBy(() -> ProtoJson.printUtf8(m)).isInstanceOf(ProtoJsonException.class)
          .hasMessage(e.getMessage());
      return;
    }
    assertThat(ProtoJson.printUtf8(m)).as("%s %s", m.getDescriptorForType().getFullName(), m)
        .isEqualTo(json.getBytes(StandardCharsets.UTF_8));
    for (String[] f : FRAMES) {
      byte[] expected = (f[0] + json + f[1]).getBytes(StandardCharsets.UTF_8);
      assertThat(ProtoJson.printUtf8(m, f[0].getBytes(StandardCharsets.UTF_8),
          f[1].getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }
  }

  @Test
  void everyApiTypeWithRandomValues() {
    for (Descriptor d : RandomMessages.types()) {
      for (int seed = 0; seed < 20; seed++) {
        RandomMessages gen = new RandomMessages(d.getFullName().hashCode() * 31L + seed, 3);
        Message m = gen.message(d);
        assertUtf8LikeString(m);
        assertUtf8LikeString(Any.pack(m));
      }
    }
  }

  @Property(tries = 300)
  void randomMessagesAndAnys(@ForAll long seed) {
    RandomMessages gen = new RandomMessages(seed, 4);
    Message m = gen.message(gen.anyType());
    assertUtf8LikeString(m);
    assertUtf8LikeString(Any.pack(m));
    assertUtf8LikeString(gen.any(0));
  }

  @Property(tries = 300)
  void corruptedAnyContentPrintsOrFailsAlike(@ForAll long seed) {
    RandomMessages gen = new RandomMessages(seed, 2);
    Random rnd = new Random(seed);
    Message m = gen.message(gen.anyType());
    byte[] b = m.toByteArray();
    if (b.length == 0) {
      return;
    }
    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
    assertUtf8LikeString(Any.newBuilder().setTypeUrl(Any.pack(m).getTypeUrl())
        .setValue(ByteString.copyFrom(b)).build());
  }

  @Test
  void unknownAnyTypeFailsLikePrint() {
    Any unknown = Any.newBuilder().setTypeUrl("type.googleapis.com/no.such.Type")
        .setValue(ByteString.copyFromUtf8("x")).build();
    assertUtf8LikeString(unknown);
    assertThatThrownBy(() -> ProtoJson.printUtf8(unknown, new byte[0], new byte[0]))
        .isInstanceOf(ProtoJsonException.class);
  }

  @Test
  void unpairedSurrogatesEncodeAsStringPrintingDoes() {
    assertUtf8LikeString(dev.loralab.api.v3.GatewayIdentifiers.newBuilder()
        .setGatewayId("a\ud800b\udc00c\ud83d").build());
  }

  @Test
  void buffersReusedAfterLargeAndFailedPrintsStillPrintExactly() {
    Message small = new RandomMessages(7, 3).message(RandomMessages.types().get(0));
    String expected = ProtoJson.print(small);
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 40_000; i++) {
      big.append("é\"");
    }
    Message large = dev.loralab.api.v3.GatewayIdentifiers.newBuilder().setGatewayId(big.toString()).build();
    assertUtf8LikeString(large);
    assertThat(ProtoJson.print(small)).isEqualTo(expected);
    assertThatThrownBy(() -> ProtoJson.print(Any.newBuilder().setTypeUrl("x/unknown").build()))
        .isInstanceOf(ProtoJsonException.class);
    assertThat(ProtoJson.print(small)).isEqualTo(expected);
    assertThat(ProtoJson.printUtf8(small)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void threadsPrintingAtOnceGetTheirOwnOutput() throws Exception {
    java.util.List<Message> messages = new java.util.ArrayList<>();
    java.util.List<String> expected = new java.util.ArrayList<>();
    RandomMessages gen = new RandomMessages(11, 3);
    for (int i = 0; i < 200; i++) {
      Message m = Any.pack(gen.message(gen.anyType()));
      try {
        expected.add(ProtoJson.print(m));
        messages.add(m);
      } catch (ProtoJsonException e) {
        // not printable: not used here
      }
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        done.add(pool.submit(() -> {
          for (int round = 0; round < 5; round++) {
            for (int i = 0; i < messages.size(); i++) {
              int k = (i + offset * 37) % messages.size();
              assertThat(ProtoJson.print(messages.get(k))).isEqualTo(expected.get(k));
              assertThat(ProtoJson.printUtf8(messages.get(k)))
                  .isEqualTo(expected.get(k).getBytes(StandardCharsets.UTF_8));
            }
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(5, java.util.concurrent.TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

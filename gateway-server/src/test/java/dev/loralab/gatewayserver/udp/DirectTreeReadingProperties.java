package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The codec's direct reading of a JSON object ({@link SemtechUdpCodec#readObjectTree}) is sound:
 * whenever it gives a tree, the codec's configured mapper accepts the same bytes and builds an
 * equal tree (same node types); malformed input, duplicates, trailing tokens and other roots are
 * left to the mapper. And it does read the usual PUSH_DATA bodies.
 */
class DirectTreeReadingProperties {

  private final SemtechUdpCodec codec = new SemtechUdpCodec();
  /** Configured as the codec configures its mapper. */
  private final ObjectMapper mapper = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(SemtechUdpLimits.DEFAULT.maxJsonNesting())
              .maxStringLength(SemtechUdpLimits.DEFAULT.maxDatagramBytes())
              .maxNumberLength(48)
              .build())
          .build())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private void assertSound(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    JsonNode direct = codec.readObjectTree(b, 0, b.length);
    if (direct == null) {
      return;
    }
    JsonNode expected;
    try {
      expected = mapper.readTree(b, 0, b.length);
    } catch (Exception e) {
      throw new AssertionError("read directly but the mapper refuses " + json + ": " + e);
    }
    assertThat(direct).as(json).isEqualTo(expected);
    assertSameTypes(direct, expected, json);
  }

  private static void assertSameTypes(JsonNode a, JsonNode b, String json) {
    assertThat(a.getClass()).as(json).isEqualTo(b.getClass());
    if (a.isContainerNode()) {
      for (int i = 0; i < a.size(); i++) {
        if (a.isArray()) {
          assertSameTypes(a.get(i), b.get(i), json);
        }
      }
      a.fieldNames().forEachRemaining(n -> assertSameTypes(a.get(n), b.get(n), json));
    }
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.lazyOf(
        () -> Arbitraries.of("0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "123456789012345678901234567890",
            "1.5", "-0.0", "1e3", "1E-3", "1e400", "-1e400", "4.9e-325", "868.100000",
            "0.1234567890123456789012345678901234567890123456789", "01", "1.", ".5", "+1", "NaN",
            "true", "false", "null", "\"\"", "\"a\\\"b\\u00e9\\n\"", "\"SF7BW125\"", "tru", "\"x"),
        () -> Arbitraries.integers().map(Object::toString),
        () -> Arbitraries.doubles().map(Object::toString),
        () -> Arbitraries.strings().ofMaxLength(8).map(s -> "\"" + s.replace("\\", "\\\\")
            .replace("\"", "\\\"") + "\""),
        () -> values().list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
        () -> objects());
  }

  @Provide
  Arbitrary<String> objects() {
    Arbitrary<String> name = Arbitraries.of("a", "b", "rxpk", "tmst", "data", "a", "");
    return Arbitraries.lazy(() -> net.jqwik.api.Combinators.combine(name, values()).as(
        (n, v) -> "\"" + n + "\":" + v).list().ofMaxSize(5).map(l -> "{" + String.join(",", l) + "}"));
  }

  @Provide
  Arbitrary<String> documents() {
    return Arbitraries.oneOf(
        objects(),
        values(),
        objects().map(o -> " \n" + o + " \t"),
        net.jqwik.api.Combinators.combine(objects(), Arbitraries.of("{}", "x", "]", "1", ",", "\u0000"))
            .as((o, tail) -> o + tail),
        objects().flatMap(o -> Arbitraries.integers().between(0, Math.max(0, o.length() - 1))
            .map(cut -> o.substring(0, cut))),
        Arbitraries.integers().between(6, 11).map(d -> "{\"a\":" + "[".repeat(d) + "]".repeat(d) + "}"));
  }

  @Property(tries = 3_000)
  void aTreeReadDirectlyIsTheMappersTree(@ForAll("documents") String json) {
    assertSound(json);
  }

  @Property(tries = 1_000)
  void arbitraryTextIsReadSoundly(@ForAll @Size(max = 60) String json) {
    assertSound(json);
  }

  @Example
  void readsPushDataBodiesAndLeavesDuplicatesToTheMapper() {
    for (String json : List.of(
        "{\"rxpk\":[{\"tmst\":3512348611,\"time\":\"2013-03-31T16:21:17.528002Z\",\"chan\":2,"
            + "\"rfch\":0,\"freq\":866.349812,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\","
            + "\"codr\":\"4/6\",\"rssi\":-35,\"lsnr\":5.1,\"size\":32,"
            + "\"data\":\"-DS4CGaDCdG+48eJNM3Vai-zDpsR71Pn9CPA9uCON84\"}]}",
        "{\"stat\":{\"time\":\"2014-01-12 08:59:28 GMT\",\"lati\":46.24000,\"long\":3.25230,"
            + "\"alti\":145,\"rxnb\":2,\"rxok\":2,\"rxfw\":2,\"ackr\":100.0,\"dwnb\":2,\"txnb\":2}}",
        "{}")) {
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      assertThat(codec.readObjectTree(b, 0, b.length)).as(json).isNotNull();
      assertSound(json);
    }
    for (String json : List.of("{\"a\":1,\"a\":2}", "{\"a\":{\"b\":null,\"b\":1}}", "{\"a\":null,\"a\":null}",
        "{}{}", "[1,2]", "{\"a\":" + "[".repeat(20) + "]".repeat(20) + "}")) {
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      assertThat(codec.readObjectTree(b, 0, b.length)).as(json).isNull();
    }
  }
}

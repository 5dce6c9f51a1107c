package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The codec reads JSON fractions with Jackson's fast double parser; it gives exactly the double
 * {@link Double#parseDouble} gives, for short and long mantissas, exponents near the limits and
 * halfway cases.
 */
class FastDoubleParsingProperties {

  private final JsonFactory fast =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  @Provide
  Arbitrary<String> fractions() {
    Arbitrary<String> digits = Arbitraries.strings().withCharRange('0', '9').ofMinLength(1)
        .ofMaxLength(25);
    Arbitrary<String> exponent = Arbitraries.oneOf(Arbitraries.just(""),
        Arbitraries.integers().between(-330, 310).map(e -> "e" + e));
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.of("", "-"), Arbitraries.integers().between(0, 3000),
            digits, exponent).as((sign, whole, frac, exp) -> sign + whole + "." + frac + exp),
        Arbitraries.doubles().map(d -> Double.toString(d).replace("Infinity", "1e400")),
        Arbitraries.bigDecimals().between(java.math.BigDecimal.valueOf(-300), java.math.BigDecimal.valueOf(3000)).ofScale(6).map(d -> d.toPlainString()),
        Arbitraries.of("868.500000", "868.1", "-35.0", "7.8", "0.1", "9007199254740993.0",
            "2.2250738585072011e-308", "4.9e-324", "1.7976931348623157e308", "1e-400",
            "0.50000000000000011102230246251565404236316680908203125"));
  }

  @Property(tries = 3_000)
  void sameDoubleAsParseDouble(@ForAll("fractions") String text) throws Exception {
    try (JsonParser p = fast.createParser(text)) {
      assertThat(p.nextToken()).isIn(JsonToken.VALUE_NUMBER_FLOAT, JsonToken.VALUE_NUMBER_INT);
      assertThat(Double.doubleToRawLongBits(p.getDoubleValue())).as(text)
          .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
    }
  }
}

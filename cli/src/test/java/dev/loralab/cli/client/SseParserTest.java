package dev.loralab.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Server-Sent Events parsing: vectors of the WHATWG rules we rely on, and properties. */
class SseParserTest {

  private static List<ServerSentEvent> feed(SseParser p, String stream) {
    List<ServerSentEvent> out = new ArrayList<>();
    for (String line : stream.split("\n", -1)) {
      p.line(line).ifPresent(out::add);
    }
    return out;
  }

  @Test
  void framesOfTheEventsApi() {
    SseParser p = new SseParser(1 << 20);
    List<ServerSentEvent> events = feed(p, String.join("\n",
        ": keepalive",                              // comment: ignored
        "",                                         // blank line without data: no message
        "id: 01J0000000000000000000000A",           // id, with the optional space after the colon
        "data: {\"result\":{\"name\":\"a\"}}",      // one data line
        "",                                         // dispatch
        "id:01J0000000000000000000000B",            // id without space
        "data:{\"result\":",                        // data split over two lines ...
        "data:{\"name\":\"b\"}}",                   // ... joined with a newline
        "retry: 2500",                              // reconnection delay
        "event: ignored",                           // event type: not used by the API
        "",
        "data: partial"));                          // no blank line yet: not dispatched
    assertThat(events).containsExactly(
        new ServerSentEvent("01J0000000000000000000000A", "{\"result\":{\"name\":\"a\"}}"),
        new ServerSentEvent("01J0000000000000000000000B", "{\"result\":\n{\"name\":\"b\"}}"));
    assertThat(p.lastEventId()).isEqualTo("01J0000000000000000000000B");
    assertThat(p.retryMillis()).isEqualTo(2500);
    p.reset();
    assertThat(p.line("")).isEmpty();
  }

  @Test
  void fieldWithoutColonAndNonNumericRetry() {
    SseParser p = new SseParser(100);
    assertThat(feed(p, "data\n\nretry: soon\n")).containsExactly(new ServerSentEvent(null, ""));
    assertThat(p.retryMillis()).isEqualTo(-1);
  }

  @Test
  void oversizedMessagesAreRefused() {
    SseParser p = new SseParser(10);
    assertThatThrownBy(() -> feed(p, "data: 0123456789abcdef\n\n"))
        .isInstanceOf(ApiClientException.class).hasMessageContaining("at most 10 characters");
  }

  @Property
  void dataLinesRoundTrip(@ForAll("payloads") List<String> payloads) {
    StringBuilder stream = new StringBuilder();
    int i = 0;
    for (String data : payloads) {
      stream.append("id: ").append(i++).append('\n');
      for (String line : data.split("\n", -1)) {
        stream.append("data: ").append(line).append('\n');
      }
      stream.append(": keepalive\n\n");
    }
    List<ServerSentEvent> events = feed(new SseParser(1 << 20), stream.toString());
    assertThat(events).extracting(ServerSentEvent::data).containsExactlyElementsOf(payloads);
  }

  @Property
  void arbitraryLinesOnlyRaiseApiClientException(@ForAll List<@net.jqwik.api.constraints.StringLength(max = 80) String> lines) {
    SseParser p = new SseParser(200);
    for (String line : lines) {
      try {
        p.line(line.replace("\n", "").replace("\r", ""));
      } catch (ApiClientException e) {
        p.reset();
      }
    }
  }

  @Provide
  Arbitrary<List<String>> payloads() {
    return Arbitraries.strings().withChars("abc{}\":, \n").ofMaxLength(40)
        .list().ofMaxSize(8);
  }
}

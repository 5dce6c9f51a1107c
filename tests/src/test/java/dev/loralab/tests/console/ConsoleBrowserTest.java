package dev.loralab.tests.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loralab.cli.config.StackConfig;
import dev.loralab.cli.stack.Stack;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.Eui64;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The browser console against a real stack in headless Chromium: sign in, register entities
 * through the console's pages, watch an application and a gateway, see a join flow arrive in
 * causal order, filter by name, open a row's JSON and its related events, and survive a stack
 * restart on the same ports without duplicate rows. Screenshots go to
 * {@code target/screenshots/}.
 *
 * <p>Skipped when {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} is missing
 * ({@code .ci/run} installs the Debian packages {@code chromium} and {@code chromium-driver}).
 */
class ConsoleBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** Generous: a slow, shared 2-core machine. Conditions are polled, never timed. */
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private static final String APP = "console-app";
  private static final String GATEWAY = "console-gtw";
  private static final String DEVICE = "console-dev";
  private static final Eui64 GATEWAY_EUI = Eui64.parse("B827EBFFFE8DB887");
  private static final Eui64 DEV_EUI = Eui64.parse("70B3D57ED0050EAD");
  private static final Eui64 JOIN_EUI = Eui64.parse("0000000000000000");
  private static final AesKey APP_KEY = AesKey.parse("2B7E151628AED2A6ABF7158809CF4F3C");
  private static final String PLAN = "EU_863_870_TTN";

  /**
   * Join-flow events in causal order (the seed document's sequence, without the gateway server's
   * forward and downlink events, which interleave).
   */
  private static final List<String> JOIN_FLOW = List.of("gs.up.receive", "ns.up.join.receive",
      "ns.up.join.cluster.attempt", "js.join.accept", "ns.up.join.cluster.success", "ns.up.join.process",
      "ns.down.join.schedule.attempt", "ns.down.join.schedule.success", "ns.up.join.accept.forward",
      "as.up.join.receive", "as.up.join.forward");
  /** At least these must arrive: one per server, on the application or the gateway. */
  private static final List<String> REQUIRED = List.of("gs.up.receive", "js.join.accept", "ns.up.join.process",
      "as.up.join.forward");

  @TempDir Path dir;

  private Stack stack;
  private ChromeDriver driver;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void browser() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + ": install the Debian package chromium");
    assumeTrue(Files.isExecutable(CHROMEDRIVER), "no " + CHROMEDRIVER + ": install the Debian package chromium-driver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--window-size=1600,1000", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium")));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(TIMEOUT).scriptTimeout(TIMEOUT);
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void joinFlowFilterDetailsRelatedAndResumeAfterRestart() throws Exception {
    StackConfig first = StackConfig.defaults().forTests(dir.resolve("data"));
    stack = Stack.builder(first).build();
    assertThat(stack.udpPort()).as("the stack's Semtech UDP port (gateway server running: %s)",
        stack.runningServers()).isPositive();
    // the same ports and data directory for the restart
    StackConfig fixed = new StackConfig(new StackConfig.Listen("127.0.0.1", stack.httpPort()),
        new StackConfig.Listen("127.0.0.1", stack.grpcPort()), new StackConfig.Listen("127.0.0.1", stack.udpPort()),
        first.data(), first.frequencyPlans(), first.events(), first.identityServer(), first.gatewayServer(),
        first.networkServer(), first.applicationServer(), first.log());
    String baseUrl = "http://127.0.0.1:" + stack.httpPort();
    ConsolePage page = new ConsolePage(driver, baseUrl, SCREENSHOTS, TIMEOUT);

    page.open();
    page.screenshot("01-sign-in");
    page.signIn(stack.adminApiKey(), "admin");

    page.createApplication(APP, "Console test");
    page.createGateway(GATEWAY, GATEWAY_EUI.toString(), PLAN);
    page.createOtaaDevice(APP, DEVICE, DEV_EUI.toString(), JOIN_EUI.toString(), APP_KEY.toHex(), PLAN);
    page.screenshot("02-end-devices");

    page.watch("pick-application-" + APP, "pick-gateway-" + GATEWAY);
    page.awaitStreamState("live");

    try (JoinRequestGateway gateway = new JoinRequestGateway(GATEWAY_EUI,
        new InetSocketAddress("127.0.0.1", stack.udpPort()))) {
      gateway.pullData();
      gateway.pushJoinRequest(JOIN_EUI, DEV_EUI, APP_KEY, 1);
      page.waitFor(d -> names(page.rows()).containsAll(REQUIRED), "the join flow rows " + REQUIRED);
      page.screenshot("03-join-flow");

      // Newest first: read bottom-up, the join flow's events are in causal order.
      List<String> chronological = new ArrayList<>(names(page.rows()));
      java.util.Collections.reverse(chronological);
      List<String> flow = chronological.stream().filter(JOIN_FLOW::contains).distinct().toList();
      assertThat(flow).containsAll(REQUIRED);
      assertThat(flow).isSortedAccordingTo((a, b) -> Integer.compare(JOIN_FLOW.indexOf(a), JOIN_FLOW.indexOf(b)));
      assertNoDuplicates(page.rows());

      // Filter by name: a glob, then a regex, as the events API understands them.
      page.setNameFilter("gs.up.*");
      page.waitFor(d -> page.rows().stream().filter(ConsolePage.Row::visible)
          .allMatch(r -> r.name().startsWith("gs.up.")), "only gs.up.* rows");
      assertThat(page.rows().stream().filter(ConsolePage.Row::visible).map(ConsolePage.Row::name))
          .contains("gs.up.receive").doesNotContain("js.join.accept", "as.up.join.forward");
      page.screenshot("04-filter-glob");
      page.setNameFilter("/^(js|as)\\./");
      page.waitFor(d -> page.rows().stream().filter(ConsolePage.Row::visible)
          .allMatch(r -> r.name().startsWith("js.") || r.name().startsWith("as.")), "only js.* and as.* rows");
      assertThat(page.rows().stream().filter(ConsolePage.Row::visible).map(ConsolePage.Row::name))
          .contains("js.join.accept", "as.up.join.forward");
      page.setNameFilter("");
      page.waitFor(d -> page.rows().stream().allMatch(ConsolePage.Row::visible), "every row shown again");

      // Filter by text: a unique ID appears in its own event only.
      String oneId = page.rows().get(page.rows().size() / 2).uniqueId();
      page.setTextFilter(oneId.toLowerCase(java.util.Locale.ROOT));
      page.waitFor(d -> page.rows().stream().filter(ConsolePage.Row::visible).count() == 1, "one row for its unique ID");
      assertThat(page.rows().stream().filter(ConsolePage.Row::visible).map(ConsolePage.Row::uniqueId)).containsExactly(oneId);
      page.setTextFilter("");
      page.waitFor(d -> page.rows().stream().allMatch(ConsolePage.Row::visible), "every row shown again");

      // A row's full JSON, then the events sharing its correlation IDs.
      ConsolePage.Row accept = page.rows().stream().filter(r -> r.name().equals("ns.up.join.process")).findFirst()
          .orElseThrow();
      page.clickRow(accept.uniqueId());
      JsonNode shown = json.readTree(page.detailsJson());
      assertThat(shown.get("name").asText()).isEqualTo("ns.up.join.process");
      assertThat(shown.get("unique_id").asText()).isEqualTo(accept.uniqueId());
      assertThat(shown.at("/identifiers/0/device_ids/device_id").asText()).isEqualTo(DEVICE);
      assertThat(shown.get("correlation_ids")).isNotEmpty();
      page.screenshot("05-row-json");
      List<String> related = page.relatedNames();
      assertThat(related).contains("gs.up.receive", "ns.up.join.process");
      page.screenshot("06-related");

      // Restart the stack on the same ports: the console reconnects on its own.
      Set<String> before = ids(page.rows());
      stack.close();
      stack = null;
      page.waitFor(d -> !"live".equals(page.streamState()), "the console to notice the stack is gone");
      page.screenshot("07-disconnected");
      stack = restart(fixed);
      page.awaitStreamState("live");
      page.screenshot("08-reconnected");
      assertThat(ids(page.rows())).containsAll(before);
      assertNoDuplicates(page.rows());

      // New traffic after the restart, received while paused: held back, then shown once on resume.
      int shownBeforePause = page.rows().size();
      page.click("pause");
      gateway.pullData();
      gateway.pushJoinRequest(JOIN_EUI, DEV_EUI, APP_KEY, 2);
      page.waitFor(d -> page.displayed("paused-count"), "events held back while paused");
      assertThat(page.rows()).hasSize(shownBeforePause);
      page.screenshot("09-paused");
      page.click("pause");
      page.waitFor(d -> page.rows().stream().filter(r -> !before.contains(r.uniqueId())).map(ConsolePage.Row::name)
          .toList().containsAll(REQUIRED), "the second join flow after the restart");
      page.screenshot("10-after-restart");
      assertNoDuplicates(page.rows());
      assertThat(ids(page.rows())).containsAll(before);

      page.click("clear");
      page.waitFor(d -> page.rows().isEmpty(), "an empty table after Clear");
    }
  }

  @Test
  void apiKeyGatewayStatusAndDownlinkPages() throws Exception {
    stack = Stack.builder(StackConfig.defaults().forTests(dir.resolve("data"))).build();
    ConsolePage page = new ConsolePage(driver, "http://127.0.0.1:" + stack.httpPort(), SCREENSHOTS, TIMEOUT);
    page.open();
    page.signIn(stack.adminApiKey(), "admin");
    page.createApplication(APP, "Console pages");
    page.createGateway(GATEWAY, GATEWAY_EUI.toString(), PLAN);
    page.createOtaaDevice(APP, DEVICE, DEV_EUI.toString(), JOIN_EUI.toString(), APP_KEY.toHex(), PLAN);

    // An application API key: the secret is shown once and works for the events API.
    String secret = page.createApiKey("applications", APP, "console-reader", "RIGHT_APPLICATION_ALL");
    assertThat(secret).startsWith("NNSXS.");
    page.screenshot("11-api-key");

    try (JoinRequestGateway gateway = new JoinRequestGateway(GATEWAY_EUI,
        new InetSocketAddress("127.0.0.1", stack.udpPort()))) {
      gateway.pullData();
      gateway.pushJoinRequest(JOIN_EUI, DEV_EUI, APP_KEY, 1);
      page.watch("pick-application-" + APP);
      page.waitFor(d -> names(page.rows()).contains("as.up.join.forward"), "the join to complete");

      String connected = page.gatewayConnection(GATEWAY);
      assertThat(connected).startsWith("yes");
      // from the gateway server's GET /api/v3/gs/gateways/{id}/connection/stats, not from events
      assertThat(driver.findElement(org.openqa.selenium.By.id("gtw-status")).getAttribute("data-source"))
          .isEqualTo("stats");
      assertThat(driver.findElement(org.openqa.selenium.By.cssSelector("[data-testid='gtw-status-protocol']"))
          .getText()).isEqualTo("udp");
      // the frequency plans come from GET /api/v3/configuration/frequency-plans
      assertThat(new org.openqa.selenium.support.ui.Select(driver.findElement(org.openqa.selenium.By.id("gtw-plan")))
          .getOptions()).anySatisfy(o -> assertThat(o.getText()).startsWith("US_902_928_FSB_2 — United States"));
      page.screenshot("12-gateway-status");

      // ABP: a session from registration, so the application server accepts downlinks at once.
      page.createAbpDevice(APP, "console-abp", "70B3D57ED0050EAE", "260B1234", "2B7E151628AED2A6ABF7158809CF4F3D",
          "2B7E151628AED2A6ABF7158809CF4F3E", PLAN);
      String result = page.pushDownlink(APP, "console-abp", 15, "CAFE01");
      assertThat(result).startsWith("Queued on FPort 15");
      page.screenshot("13-downlink");
    }
  }

  /** A server-reported lag ({@code events.stream.lag}) shows a visible notice with the missed count. */
  @Test
  void lagNoticeIsShown() throws Exception {
    stack = Stack.builder(StackConfig.defaults().forTests(dir.resolve("data"))).build();
    ConsolePage page = new ConsolePage(driver, "http://127.0.0.1:" + stack.httpPort(), SCREENSHOTS, TIMEOUT);
    page.open();
    page.signIn(stack.adminApiKey(), "admin");
    page.createApplication(APP, "Lag");
    // The server sends lag notices only to a subscriber whose queue overflowed; script one instead.
    ((JavascriptExecutor) driver).executeScript("""
        const real = window.fetch;
        window.fetch = (url, init) => {
          if (url !== '/api/v3/events') {
            return real(url, init);
          }
          const frames = [
            'id: 01A\\ndata: {"result":{"name":"events.stream.start","unique_id":"01A"}}\\n\\n',
            'id: 01B\\ndata: {"result":{"name":"x.one","unique_id":"01B","time":"2026-01-01T00:00:00Z"}}\\n\\n',
            'id: 01C\\ndata: {"result":{"name":"events.stream.lag","unique_id":"01C","data":{"missed":12}}}\\n\\n'];
          const enc = new TextEncoder();
          // the stream stays open after the frames
          const body = new ReadableStream({ start(c) { frames.forEach((f) => c.enqueue(enc.encode(f))); } });
          return Promise.resolve(new Response(body, { status: 200 }));
        };
        """);
    page.watch("pick-application-" + APP);
    page.waitFor(d -> page.displayed("lag-banner"), "the lag notice");
    assertThat(page.text("lag-text")).contains("12 missed events");
    page.screenshot("14-lag-notice");
  }

  @Test
  void sseParserAndNameFilterFollowTheServersRules() throws Exception {
    stack = Stack.builder(StackConfig.defaults().forTests(dir.resolve("data"))).build();
    ConsolePage page = new ConsolePage(driver, "http://127.0.0.1:" + stack.httpPort(), SCREENSHOTS, TIMEOUT);
    page.open();
    Object result = ((JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "Promise.all([import('./sse.js'), import('./names.js')]).then(([sse, names]) => {"
            // id + multi-line data, a comment, CRLF, a field without colon, CR-only line ends
            + "  const all = sse.parseAll('id: 1\\ndata: {\"a\":\\ndata: 1}\\n\\n: keepalive\\n\\n'"
            + "    + 'id: 2\\r\\ndata:x\\r\\n\\r\\nevent: e\\rdata:  y\\r\\r');"
            // CRLF split across chunks, one character at a time
            + "  const chunked = []; const p = new sse.SseParser(m => chunked.push(m));"
            + "  for (const c of 'id: 7\\r\\ndata: a\\r\\n\\r\\ndata: b\\r\\n\\r\\ndata: never dispatched') p.push(c);"
            + "  p.end();"
            + "  const f = names.compileNameFilter('ns.up.join.*, /^as\\\\./, js.join.accept');"
            + "  done(JSON.stringify({all, chunked,"
            + "    glob: f.test('ns.up.join.receive'), globAnchored: f.test('xns.up.join.receive'),"
            + "    regex: f.test('as.up.join.forward'), exact: f.test('js.join.accept'), other: f.test('gs.up.receive'),"
            + "    synthetic: names.compileNameFilter('*').test('events.stream.start'),"
            + "    badRegex: names.compileNameFilter('/[/').ok}));"
            + "}).catch(e => done('error: ' + e));");
    JsonNode r = json.readTree((String) result);
    assertThat(r.get("all")).hasSize(3);
    assertThat(r.at("/all/0/data").asText()).isEqualTo("{\"a\":\n1}");
    assertThat(r.at("/all/0/id").asText()).isEqualTo("1");
    assertThat(r.at("/all/1/data").asText()).isEqualTo("x");
    assertThat(r.at("/all/1/id").asText()).isEqualTo("2");
    assertThat(r.at("/all/2/event").asText()).isEqualTo("e");
    assertThat(r.at("/all/2/data").asText()).isEqualTo(" y");
    assertThat(r.at("/all/2/id").asText()).as("the last event ID persists").isEqualTo("2");
    assertThat(r.get("chunked")).hasSize(2);
    assertThat(r.at("/chunked/1/data").asText()).isEqualTo("b");
    assertThat(r.at("/chunked/1/id").asText()).isEqualTo("7");
    assertThat(Map.of("glob", r.get("glob").asBoolean(), "globAnchored", r.get("globAnchored").asBoolean(),
        "regex", r.get("regex").asBoolean(), "exact", r.get("exact").asBoolean(), "other", r.get("other").asBoolean(),
        "synthetic", r.get("synthetic").asBoolean(), "badRegex", r.get("badRegex").asBoolean()))
        .containsExactlyInAnyOrderEntriesOf(Map.of("glob", true, "globAnchored", false, "regex", true,
            "exact", true, "other", false, "synthetic", false, "badRegex", false));
  }

  /**
   * The stream client against a scripted {@code fetch}: the first connection sends history, a
   * keepalive, a lag notice and drops; the reconnection must carry {@code Last-Event-ID} (and no
   * tail), and an event the server sends again must not be delivered twice.
   */
  @Test
  void streamClientResumesWithLastEventIdAndDropsDuplicates() throws Exception {
    stack = Stack.builder(StackConfig.defaults().forTests(dir.resolve("data"))).build();
    ConsolePage page = new ConsolePage(driver, "http://127.0.0.1:" + stack.httpPort(), SCREENSHOTS, TIMEOUT);
    page.open();
    Object result = ((JavascriptExecutor) driver).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        (async () => {
          const { EventStream } = await import('./stream.js');
          const enc = new TextEncoder();
          const ev = (id, name, data) => `id: ${id}\\ndata: ${JSON.stringify({ result: {
            name, unique_id: id, time: '2026-01-01T00:00:00Z', data } })}\\n\\n`;
          const scripted = [
            [ev('01A', 'events.stream.start'), ev('01B', 'x.one'), ': keepalive\\n\\n',
              ev('01C', 'x.two'), ev('01D', 'events.stream.lag', { missed: 7 })],
            [ev('01E', 'events.stream.start'), ev('01C', 'x.two'), ev('01F', 'x.three')],
          ];
          const calls = [];
          window.fetch = async (url, init) => {
            calls.push({ url, headers: init.headers, body: JSON.parse(init.body) });
            const chunks = scripted[calls.length - 1];
            if (!chunks) {
              return new Promise(() => {});
            }
            const body = new ReadableStream({ start(c) {
              // split every frame in two to exercise the incremental parser
              for (const ch of chunks) { const h = ch.length >> 1; c.enqueue(enc.encode(ch.slice(0, h)));
                c.enqueue(enc.encode(ch.slice(h))); }
              c.close();
            } });
            return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
          };
          const got = [];
          let lag = null;
          const s = new EventStream({ apiKey: 'KEY', identifiers: [{ application_ids: { application_id: 'a' } }],
            tail: 50 }, { onEvent: (e) => got.push(e.unique_id), onLag: (m) => { lag = m; } });
          s.start();
          while (calls.length < 3) {
            await new Promise((r) => setTimeout(r, 50));
          }
          s.stop();
          done(JSON.stringify({ got, lag, calls }));
        })().catch((e) => done('error: ' + e));
        """);
    JsonNode r = json.readTree((String) result);
    assertThat(r.get("got")).extracting(JsonNode::asText).containsExactly("01B", "01C", "01F");
    assertThat(r.get("lag").asInt()).isEqualTo(7);
    JsonNode calls = r.get("calls");
    assertThat(calls.at("/0/url").asText()).isEqualTo("/api/v3/events").doesNotContain("KEY");
    assertThat(calls.at("/0/headers/Authorization").asText()).isEqualTo("Bearer KEY");
    assertThat(calls.at("/0/headers/Accept").asText()).isEqualTo("text/event-stream");
    assertThat(calls.at("/0/body/tail").asInt()).isEqualTo(50);
    assertThat(calls.at("/0/headers/Last-Event-ID").isMissingNode()).isTrue();
    assertThat(calls.at("/1/headers/Last-Event-ID").asText()).isEqualTo("01D");
    assertThat(calls.at("/1/body/tail").isMissingNode()).as("no tail when resuming").isTrue();
    assertThat(calls.at("/2/headers/Last-Event-ID").asText()).isEqualTo("01F");
  }

  /** Starts the stack again; a port still held by the old listeners is retried. */
  private Stack restart(StackConfig config) throws InterruptedException {
    UncheckedIOException last = null;
    for (int attempt = 0; attempt < 30; attempt++) {
      try {
        return Stack.builder(config).build();
      } catch (UncheckedIOException e) {
        last = e;
        Thread.sleep(500);
      }
    }
    throw last;
  }

  private static List<String> names(List<ConsolePage.Row> rows) {
    return rows.stream().map(ConsolePage.Row::name).toList();
  }

  private static Set<String> ids(List<ConsolePage.Row> rows) {
    Set<String> s = new HashSet<>();
    rows.forEach(r -> s.add(r.uniqueId()));
    return s;
  }

  private static void assertNoDuplicates(List<ConsolePage.Row> rows) {
    assertThat(rows.stream().map(ConsolePage.Row::uniqueId).toList()).doesNotHaveDuplicates().doesNotContain("");
  }
}

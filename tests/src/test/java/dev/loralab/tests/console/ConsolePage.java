package dev.loralab.tests.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The console as the browser test drives it: stable element IDs and data-testid attributes only. */
final class ConsolePage {

  /** A row of the live events table. */
  record Row(String uniqueId, String name, boolean visible) {
  }

  private final WebDriver driver;
  private final String baseUrl;
  private final Path screenshots;
  private final Duration timeout;

  ConsolePage(WebDriver driver, String baseUrl, Path screenshots, Duration timeout) {
    this.driver = driver;
    this.baseUrl = baseUrl;
    this.screenshots = screenshots;
    this.timeout = timeout;
  }

  WebDriver driver() {
    return driver;
  }

  void open() {
    driver.get(baseUrl + "/console/");
    waitFor(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")), "the console to load");
  }

  void signIn(String apiKey, String userId) {
    waitFor(d -> d.findElement(By.id("view-sign-in")).isDisplayed(), "the sign-in form");
    type(By.id("api-key"), apiKey);
    type(By.id("user-id"), userId);
    driver.findElement(By.id("sign-in")).click();
    waitFor(d -> d.findElement(By.id("view-events")).isDisplayed(), "the events view after signing in");
  }

  void go(String view) {
    driver.findElement(By.id("nav-" + view)).click();
    waitFor(d -> d.findElement(By.id("view-" + view)).isDisplayed(), "the " + view + " view");
  }

  void createApplication(String id, String name) {
    go("applications");
    type(By.id("app-id"), id);
    type(By.id("app-name"), name);
    driver.findElement(By.id("app-create")).click();
    waitFor(d -> !d.findElements(By.cssSelector("#apps-table tr[data-id='" + id + "']")).isEmpty(),
        "application " + id + " in the list");
  }

  void createGateway(String id, String eui, String plan) {
    go("gateways");
    type(By.id("gtw-id"), id);
    type(By.id("gtw-eui"), eui);
    new Select(driver.findElement(By.id("gtw-plan"))).selectByValue(plan);
    driver.findElement(By.id("gtw-create")).click();
    waitFor(d -> !d.findElements(By.cssSelector("#gtws-table tr[data-id='" + id + "']")).isEmpty(),
        "gateway " + id + " in the list");
  }

  void createOtaaDevice(String app, String id, String devEui, String joinEui, String appKey, String plan) {
    go("devices");
    waitFor(d -> new Select(d.findElement(By.id("dev-app"))).getOptions().stream()
        .anyMatch(o -> o.getAttribute("value").equals(app)), "application " + app + " in the device page");
    new Select(driver.findElement(By.id("dev-app"))).selectByValue(app);
    new Select(driver.findElement(By.id("dev-activation"))).selectByValue("otaa");
    new Select(driver.findElement(By.id("dev-version"))).selectByValue("MAC_V1_0_3");
    new Select(driver.findElement(By.id("dev-plan"))).selectByValue(plan);
    type(By.id("dev-id"), id);
    type(By.id("dev-eui"), devEui);
    type(By.id("dev-join-eui"), joinEui);
    type(By.id("dev-app-key"), appKey);
    driver.findElement(By.id("dev-create")).click();
    waitFor(d -> !d.findElements(By.cssSelector("#devs-table tr[data-id='" + id + "']")).isEmpty(),
        "end device " + id + " in the list");
  }

  /** Creates an API key for {@code kind} ({@code users}, {@code applications}, {@code gateways}); returns the secret shown once. */
  String createApiKey(String kind, String ownerId, String name, String... rights) {
    go("api-keys");
    new Select(driver.findElement(By.id("key-owner-kind"))).selectByValue(kind);
    type(By.id("key-owner-id"), ownerId);
    type(By.id("key-name"), name);
    for (String r : rights) {
      driver.findElement(By.cssSelector("[data-testid='right-" + r + "']")).click();
    }
    driver.findElement(By.id("key-create")).click();
    waitFor(d -> d.findElement(By.id("key-secret")).isDisplayed(), "the new key's secret");
    String secret = driver.findElement(By.id("key-secret-value")).getText();
    waitFor(d -> d.findElements(By.cssSelector("#keys-table tr[data-testid='key-row']")).stream()
        .anyMatch(tr -> tr.getText().contains(name)), "the new key in the list");
    return secret;
  }

  /** Opens a gateway's connection status; returns the "Connected" line. */
  String gatewayConnection(String gatewayId) {
    go("gateways");
    waitFor(d -> !d.findElements(By.cssSelector("[data-testid='gtw-status-" + gatewayId + "']")).isEmpty(),
        "gateway " + gatewayId + " in the list");
    driver.findElement(By.cssSelector("[data-testid='gtw-status-" + gatewayId + "']")).click();
    waitFor(d -> !d.findElements(By.cssSelector("[data-testid='gtw-status-connected']")).isEmpty(),
        "the connection status");
    return driver.findElement(By.cssSelector("[data-testid='gtw-status-connected']")).getText();
  }

  /** Queues a downlink through the form; returns the confirmation or error text. */
  String pushDownlink(String app, String device, int fPort, String hex) {
    go("downlink");
    waitFor(d -> new Select(d.findElement(By.id("down-app"))).getOptions().stream()
        .anyMatch(o -> app.equals(o.getAttribute("value"))), "application " + app + " in the downlink form");
    new Select(driver.findElement(By.id("down-app"))).selectByValue(app);
    waitFor(d -> new Select(d.findElement(By.id("down-dev"))).getOptions().stream()
        .anyMatch(o -> device.equals(o.getAttribute("value"))), "device " + device + " in the downlink form");
    new Select(driver.findElement(By.id("down-dev"))).selectByValue(device);
    type(By.id("down-port"), Integer.toString(fPort));
    type(By.id("down-payload"), hex);
    driver.findElement(By.id("down-push")).click();
    By ok = By.cssSelector("#down-form p.ok");
    By err = By.cssSelector("#down-form p.error");
    waitFor(d -> d.findElement(ok).isDisplayed() || d.findElement(err).isDisplayed(), "the downlink result");
    return driver.findElement(ok).isDisplayed() ? driver.findElement(ok).getText()
        : "error: " + driver.findElement(err).getText();
  }

  void createAbpDevice(String app, String id, String devEui, String devAddr, String appSKey, String nwkSKey, String plan) {
    go("devices");
    waitFor(d -> new Select(d.findElement(By.id("dev-app"))).getOptions().stream()
        .anyMatch(o -> o.getAttribute("value").equals(app)), "application " + app + " in the device page");
    new Select(driver.findElement(By.id("dev-app"))).selectByValue(app);
    new Select(driver.findElement(By.id("dev-activation"))).selectByValue("abp");
    new Select(driver.findElement(By.id("dev-version"))).selectByValue("MAC_V1_0_3");
    new Select(driver.findElement(By.id("dev-plan"))).selectByValue(plan);
    type(By.id("dev-id"), id);
    type(By.id("dev-eui"), devEui);
    type(By.id("dev-addr"), devAddr);
    type(By.id("dev-app-s-key"), appSKey);
    type(By.id("dev-nwk-s-key"), nwkSKey);
    driver.findElement(By.id("dev-create")).click();
    waitFor(d -> !d.findElements(By.cssSelector("#devs-table tr[data-id='" + id + "']")).isEmpty(),
        "end device " + id + " in the list");
  }

  /** Opens the events view, ticks the given picker entries (data-testid) and presses Watch. */
  void watch(String... pickTestIds) {
    go("events");
    for (String t : pickTestIds) {
      waitFor(d -> "false".equals(d.findElement(By.id("picker")).getAttribute("data-loading"))
          && !d.findElements(By.id(t)).isEmpty(), t + " in the entity picker");
      WebElement box = driver.findElement(By.id(t));
      if (!box.isSelected()) {
        box.click();
      }
    }
    driver.findElement(By.id("watch")).click();
  }

  String streamState() {
    return driver.findElement(By.id("stream-status")).getAttribute("data-state");
  }

  void awaitStreamState(String state) {
    waitFor(d -> state.equals(streamState()), "stream state " + state + " (now "
        + driver.findElement(By.id("stream-status")).getText() + ")");
  }

  /** All rows, newest first, read in one script call (consistent snapshot). */
  @SuppressWarnings("unchecked")
  List<Row> rows() {
    List<List<Object>> raw = (List<List<Object>>) ((JavascriptExecutor) driver).executeScript(
        "return Array.from(document.querySelectorAll('#events-body tr'))"
            + ".map(tr => [tr.dataset.uniqueId, tr.dataset.name, !tr.hidden]);");
    List<Row> out = new ArrayList<>();
    for (List<Object> r : raw) {
      out.add(new Row((String) r.get(0), (String) r.get(1), (Boolean) r.get(2)));
    }
    return out;
  }

  void setNameFilter(String filter) {
    WebElement e = driver.findElement(By.id("name-filter"));
    // select-all + delete fires input events (clear() does not)
    e.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    if (!filter.isEmpty()) {
      e.sendKeys(filter);
    }
  }

  void setTextFilter(String text) {
    WebElement e = driver.findElement(By.id("text-filter"));
    e.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    if (!text.isEmpty()) {
      e.sendKeys(text);
    }
  }

  void click(String id) {
    driver.findElement(By.id(id)).click();
  }

  boolean displayed(String id) {
    return driver.findElement(By.id(id)).isDisplayed();
  }

  String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  void clickRow(String uniqueId) {
    driver.findElement(By.cssSelector("#events-body tr[data-unique-id='" + uniqueId + "']")).click();
    waitFor(d -> d.findElement(By.id("details")).isDisplayed(), "the details panel");
  }

  String detailsJson() {
    return driver.findElement(By.id("event-json")).getText();
  }

  List<String> relatedNames() {
    driver.findElement(By.id("related")).click();
    waitFor(d -> !d.findElements(By.cssSelector("#related-list li[data-testid='related-item']")).isEmpty(),
        "related events");
    List<String> names = new ArrayList<>();
    for (WebElement li : driver.findElements(By.cssSelector("#related-list li[data-testid='related-item']"))) {
      names.add(li.getAttribute("data-name"));
    }
    return names;
  }

  void screenshot(String name) {
    try {
      Files.createDirectories(screenshots);
      Path tmp = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(tmp, screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls {@code condition}; on timeout saves a {@code failure-*.png} screenshot and names the visible rows. */
  <T> T waitFor(Function<WebDriver, T> condition, String what) {
    try {
      return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
          .withMessage(() -> "waiting for " + what)
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(condition::apply);
    } catch (TimeoutException e) {
      String state = "";
      try {
        screenshot("failure-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
        state = " (stream: " + driver.findElement(By.id("stream-status")).getText() + "; rows: "
            + rows().stream().map(Row::name).toList() + ")";
      } catch (RuntimeException ignored) {
        // the page itself may be gone
      }
      throw new TimeoutException(e.getMessage() + state, e);
    }
  }

  private void type(By by, String text) {
    WebElement e = driver.findElement(by);
    e.clear();
    e.sendKeys(text);
  }
}

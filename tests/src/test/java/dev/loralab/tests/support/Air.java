package dev.loralab.tests.support;


import com.fasterxml.jackson.databind.JsonNode;
import dev.loralab.gatewayserver.udp.Txpk;
import dev.loralab.lorawan.frame.JoinAccept;
import dev.loralab.lorawan.mac.MacCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One device talking through one gateway, with the event stream that watches them: join, send
 * uplinks, take the class A downlink of an uplink, and answer the network's MAC requests in the
 * next uplink.
 */
public final class Air {

  private final TestDevice dev;
  private final TestGateway gw;
  private final EventStream events;
  private final Region region;
  private final List<MacCommand> pendingAnswers = new ArrayList<>();
  private int battery = 128;
  private int margin = 10;
  private long lastUplinkTmst = -1;
  private long lastUplinkSentNanos;
  // When the gateway's last downlink for this device has been transmitted (System.nanoTime): a
  // device does not transmit before its receive windows are over, and a gateway cannot receive
  // the next uplink's downlink while it is still transmitting.
  private long busyUntilNanos = System.nanoTime();
  private long lastUplinkFCnt = -1;
  private Radio lastRadio;
  private final java.util.Map<Long, SentUplink> recentUplinks = new java.util.LinkedHashMap<>();

  /** An uplink as sent: for matching a later PULL_RESP to the uplink it answers. */
  private record SentUplink(long tmst, long sentNanos, long fCnt, Radio radio) {}

  public Air(TestDevice dev, TestGateway gw, EventStream events, Region region) {
    this.dev = dev;
    this.gw = gw;
    this.events = events;
    this.region = region;
  }

  public TestDevice dev() {
    return dev;
  }

  public TestGateway gateway() {
    return gw;
  }

  public EventStream events() {
    return events;
  }

  /** The DevStatusAns values the device reports. */
  public Air status(int battery, int margin) {
    this.battery = battery;
    this.margin = margin;
    return this;
  }

  /** Joins (OTAA): join-request, join-accept in RX1/RX2, and waits for {@code as.up.join.forward}. */
  public JoinAccept join() {
    Radio up = region.uplink(region.maxDataRate());
    long sent = System.nanoTime();
    long tmst = gw.uplink(dev.joinRequest(), up, -60, 7.5);
    Txpk txpk = expectPullResp(tmst, 5, "join-accept");
    ReceiveWindows.Slot slot = ReceiveWindows.assertClassA(txpk, tmst, 5, region, up);
    busyUntilNanos = sent + transmissionEndNanos(txpk, slot == ReceiveWindows.Slot.RX1 ? 5 : 6);
    JoinAccept ja = dev.acceptJoin(txpk.data().toArray());
    events.expectEvent("as.up.join.forward", "join of " + dev.deviceId(), Events.device(dev.deviceId()));
    if (dev.version().is1_1()) {
      // 1.1: RekeyInd in every uplink until the RekeyConf (LoRaWAN 1.1 §5.10)
      pendingAnswers.add(new MacCommand.RekeyInd(1));
    }
    return ja;
  }

  /**
   * Sends the next uplink, adding the pending MAC answers to FOpts.
   *
   * @return the uplink's {@code tmst}
   */
  public long send(TestDevice.Uplink u, Radio radio, double lsnr) {
    List<MacCommand> fOpts = new ArrayList<>(u.fOpts());
    fOpts.addAll(pendingAnswers);
    pendingAnswers.clear();
    waitUntilFree();
    lastUplinkSentNanos = System.nanoTime();
    lastUplinkFCnt = dev.fCntUp();
    lastRadio = radio;
    lastUplinkTmst = gw.uplink(dev.uplink(u.withFOpts(fOpts), radio), radio, -60, lsnr);
    recentUplinks.put(lastUplinkTmst, new SentUplink(lastUplinkTmst, lastUplinkSentNanos, lastUplinkFCnt, radio));
    if (recentUplinks.size() > 64) {
      recentUplinks.remove(recentUplinks.keySet().iterator().next());
    }
    return lastUplinkTmst;
  }

  /** Sends on the region's fastest 125 kHz data rate. */
  public long send(TestDevice.Uplink u) {
    return send(u, region.uplink(region.maxDataRate()), 7.5);
  }

  /** The FCntUp of the last uplink. */
  public long lastUplinkFCnt() {
    return lastUplinkFCnt;
  }

  /**
   * The class A downlink answering the last uplink: checks its window and MIC, opens it, applies
   * it and queues the answers to its MAC requests for the next uplink.
   */
  public TestDevice.Downlink expectClassADownlink() {
    Txpk txpk = expectPullResp(lastUplinkTmst, dev.rx1DelaySeconds(), "class A downlink");
    ReceiveWindows.Slot slot = ReceiveWindows.assertClassA(txpk, lastUplinkTmst, dev.rx1DelaySeconds(), region,
        lastRadio);
    lastSlot = slot;
    busyUntilNanos = lastUplinkSentNanos + transmissionEndNanos(txpk,
        dev.rx1DelaySeconds() + (slot == ReceiveWindows.Slot.RX1 ? 0 : 1));
    return open(txpk);
  }

  private ReceiveWindows.Slot lastSlot;

  /**
   * A class A downlink answering any recent uplink, if one arrives within {@code grace}: its
   * window is checked, it is opened and applied, and the answers to its MAC requests are queued.
   *
   * @return the downlink and the FCntUp of the uplink it answers
   */
  public Optional<java.util.Map.Entry<Long, TestDevice.Downlink>> pollClassADownlink(java.time.Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Optional<Txpk> t = left <= 0 ? gw.pollDownlink() : gw.awaitDownlink(java.time.Duration.ofNanos(left));
      if (t.isEmpty()) {
        return Optional.empty();
      }
      Long tmst = t.get().tmst();
      for (SentUplink u : recentUplinks.values()) {
        int d = dev.rx1DelaySeconds();
        long rx1 = (u.tmst() + d * 1_000_000L) & 0xFFFF_FFFFL;
        long rx2 = (u.tmst() + (d + 1) * 1_000_000L) & 0xFFFF_FFFFL;
        if (tmst != null && (tmst == rx1 || tmst == rx2)) {
          ReceiveWindows.Slot slot = ReceiveWindows.assertClassA(t.get(), u.tmst(), d, region, u.radio());
          busyUntilNanos = Math.max(busyUntilNanos,
              u.sentNanos() + transmissionEndNanos(t.get(), d + (slot == ReceiveWindows.Slot.RX1 ? 0 : 1)));
          TestDevice.Downlink down = dev.openDownlink(t.get().data().toArray(), u.fCnt());
          dev.apply(down);
          pendingAnswers.addAll(TestDevice.answers(down, battery, margin));
          return Optional.of(java.util.Map.entry(u.fCnt(), down));
        }
      }
      // not a class A answer to one of our uplinks: ignore
    }
  }

  /** The window of the last class A downlink. */
  public ReceiveWindows.Slot lastSlot() {
    return lastSlot;
  }

  /** Opens a downlink, applies it and queues the answers to its MAC requests. */
  public TestDevice.Downlink open(Txpk txpk) {
    TestDevice.Downlink d = dev.openDownlink(txpk.data().toArray(), lastUplinkFCnt);
    dev.apply(d);
    pendingAnswers.addAll(TestDevice.answers(d, battery, margin));
    if (!d.commands(MacCommand.RekeyConf.class).isEmpty()) {
      pendingAnswers.removeIf(c -> c instanceof MacCommand.RekeyInd);
    }
    return d;
  }

  /** Sleeps until the last downlink's transmission is over (no assertion on time). */
  public void waitUntilFree() {
    long left = busyUntilNanos - System.nanoTime();
    if (left > 0) {
      try {
        Thread.sleep(left / 1_000_000 + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** From the uplink to the end of a downlink sent {@code delaySeconds} after it, with margin. */
  private static long transmissionEndNanos(Txpk txpk, int delaySeconds) {
    dev.loralab.gatewayserver.udp.Datr.LoRa lora = (dev.loralab.gatewayserver.udp.Datr.LoRa) txpk.datr();
    double airtime = loraAirtimeSeconds(lora.spreadingFactor(), lora.bandwidthHz(), txpk.data().length());
    return delaySeconds * 1_000_000_000L + (long) (airtime * 1e9) + 300_000_000L;
  }

  /** LoRa time on air (Semtech AN1200.13): explicit header, CR 4/5, CRC on, 8 preamble symbols. */
  static double loraAirtimeSeconds(int sf, int bandwidthHz, int payloadBytes) {
    double tSym = Math.pow(2, sf) / bandwidthHz;
    int de = sf >= 11 && bandwidthHz == 125_000 ? 1 : 0;
    double n = Math.ceil((8.0 * payloadBytes - 4 * sf + 28 + 16) / (4.0 * (sf - 2 * de))) * 5;
    return (8 + 4.25) * tSym + (8 + Math.max(n, 0)) * tSym;
  }

  /** Waits for {@code as.up.data.forward} of the last uplink. */
  public JsonNode expectForwarded() {
    long fCnt = lastUplinkFCnt;
    return events.expectEvent("as.up.data.forward", dev.deviceId() + " FCnt " + fCnt,
        Events.device(dev.deviceId()).and(e -> e.path("data").path("uplink_message").path("f_cnt").asLong(0) == fCnt));
  }

  /** Waits for {@code ns.up.data.process} of the last uplink. */
  public JsonNode expectProcessed() {
    long fCnt = lastUplinkFCnt;
    return events.expectEvent("ns.up.data.process", dev.deviceId() + " FCnt " + fCnt,
        Events.device(dev.deviceId()).and(e -> fCntOf(e) == fCnt));
  }

  /** The FCnt of an {@code UplinkMessage} event's data ({@code payload.mac_payload.f_hdr.f_cnt}). */
  public static long fCntOf(JsonNode e) {
    JsonNode mac = e.path("data").path("payload").path("mac_payload");
    if (mac.has("full_f_cnt")) {
      return mac.path("full_f_cnt").asLong(0);
    }
    return mac.path("f_hdr").path("f_cnt").asLong(0);
  }

  private Txpk expectPullResp(long uplinkTmst, int rx1DelaySeconds, String what) {
    long rx1 = (uplinkTmst + rx1DelaySeconds * 1_000_000L) & 0xFFFF_FFFFL;
    long rx2 = (uplinkTmst + (rx1DelaySeconds + 1) * 1_000_000L) & 0xFFFF_FFFFL;
    long deadline = System.nanoTime() + Timeouts.DOWNLINK.toNanos();
    List<Long> others = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      Optional<Txpk> t = left <= 0 ? Optional.empty() : gw.awaitDownlink(java.time.Duration.ofNanos(left));
      if (t.isEmpty()) {
        throw new AssertionError(what + " for " + dev.deviceId() + ": no PULL_RESP at tmst " + rx1 + " or " + rx2
            + " within " + Timeouts.DOWNLINK + " (other PULL_RESP tmst: " + others + "); events "
            + events.summary());
      }
      Long tmst = t.get().tmst();
      if (tmst != null && (tmst == rx1 || tmst == rx2)) {
        return t.get();
      }
      others.add(tmst);
    }
  }
}

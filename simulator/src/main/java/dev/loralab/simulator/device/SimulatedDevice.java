package dev.loralab.simulator.device;

import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.Channel;
import dev.loralab.frequencyplans.DataRate;
import dev.loralab.frequencyplans.FrequencyPlanException;
import dev.loralab.frequencyplans.SubBand;
import dev.loralab.frequencyplans.TimeOnAir;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.FCnt;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.crypto.SessionKeyDerivation;
import dev.loralab.lorawan.crypto.SessionKeys11;
import dev.loralab.lorawan.frame.CfList;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.EncryptedJoinAccept;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.lorawan.frame.FHdr;
import dev.loralab.lorawan.frame.JoinAccept;
import dev.loralab.lorawan.frame.JoinRequest;
import dev.loralab.lorawan.frame.MType;
import dev.loralab.lorawan.frame.PhyPayload;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.lorawan.mac.MacCommandCodec;
import dev.loralab.simulator.SimScheduler;
import dev.loralab.simulator.radio.RadioNode;
import dev.loralab.simulator.radio.Reception;
import dev.loralab.simulator.radio.Transmission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A simulated LoRaWAN 1.0.x / 1.1 end device: OTAA join with the DevNonce rules of its version
 * and retries with exponential backoff, or ABP; data uplinks with FCnt, confirmed or not; RX1 and
 * RX2 windows at the band's delays (class A) or continuous RX2 (class C); downlink MIC check and
 * decryption; MAC commands answered and applied; ADR with ADRACKReq backoff; duty cycle per
 * sub-band.
 *
 * <p>Pure state machine driven by a {@link SimScheduler}: every method must run on the
 * simulation thread.
 */
public final class SimulatedDevice {

  private static final long SECOND = 1_000_000_000L;
  /** Tolerance around the window start within which a preamble is detected. */
  private static final long WINDOW_TOLERANCE_NANOS = 20_000_000L;
  private static final int[] MAX_EIRP_TABLE = {8, 10, 12, 13, 14, 16, 18, 20, 21, 24, 26, 27, 29, 30, 33, 36};

  private final DeviceIdentity id;
  private final DeviceSettings settings;
  private final Band band;
  private final SimScheduler scheduler;
  private final DeviceAir air;
  private final DeviceListener listener;
  private final SplittableRandom random;
  private final RadioNode node;
  private final Counters counters = new Counters();

  // channels and radio parameters
  private final Channel[] channels;
  private final Map<Integer, Long> rx1FrequencyOverride = new HashMap<>();
  private SortedSet<Integer> enabled = new TreeSet<>();
  private int dataRate;
  private int txPowerIndex;
  private double maxEirpDbm;
  private int nbTrans = 1;
  private int rx1DrOffset;
  private int rx2DataRate;
  private long rx2FrequencyHz;
  private long rx1DelayNanos;
  private boolean uplinkDwellTime;
  private boolean downlinkDwellTime;
  private int maxDutyCycleExp;
  private final Map<SubBand, Long> subBandFreeAt = new HashMap<>();
  private long aggregatedFreeAt;
  private int adrAckLimit;
  private int adrAckDelay;

  // session
  private boolean joined;
  private boolean session11;
  private DevAddr devAddr;
  private SessionKeys11 keys;
  private long fCntUp;
  private long fCntDown = -1;
  private long aFCntDown = -1;
  private long nFCntDown = -1;
  private int adrAckCnt;
  private boolean ackDownlink;
  private int ackedDownlinkFCnt;
  private long lastConfirmedFCntUp = -1;
  private long uplinks;
  private boolean rekeyPending;
  private boolean resetPending;
  private boolean deviceTimePending;
  private double lastDownlinkSnr;

  // join
  private int devNonceCounter;
  private final Set<Integer> usedDevNonces = new HashSet<>();
  private int joinAttempts;
  private int joinDataRate;
  private int lastJoinNonce = -1;
  private DevNonce pendingDevNonce;
  private long firstJoinEnd = -1;

  // MAC answers for the next uplink; sticky ones repeat until a downlink arrives
  private final List<MacCommand> macAnswers = new ArrayList<>();
  private final List<MacCommand> stickyAnswers = new ArrayList<>();

  // current transaction
  private boolean busy;
  private boolean appUplinkPending;
  private Pending pending;
  private long txStart = -1;
  private long txEnd = -1;
  private long rx1Start = -1;
  private long rx2Start = -1;
  private long windowFrequencyRx1;
  private int windowDrRx1;
  private int windowDrRx2;
  private long windowFrequencyRx2;
  private boolean downlinkInTransaction;
  private boolean rx1Received;
  private boolean running;

  /**
   * @param identity keys and identifiers
   * @param settings behaviour
   * @param position where the device is
   * @param scheduler the simulation scheduler
   * @param air where uplinks go
   * @param listener observer for the report
   * @param random the device's own random source (placement, nonces, jitter, payloads)
   */
  public SimulatedDevice(DeviceIdentity identity, DeviceSettings settings, dev.loralab.simulator.radio.Position position,
      SimScheduler scheduler, DeviceAir air, DeviceListener listener, SplittableRandom random) {
    this.id = identity;
    this.settings = settings;
    this.band = settings.band();
    this.scheduler = scheduler;
    this.air = air;
    this.listener = listener;
    this.random = random;
    this.node = RadioNode.device(identity.devEui().toString(), position);
    this.channels = new Channel[band.maxUplinkChannels()];
    resetMacState();
  }

  /** Identity and keys. */
  public DeviceIdentity identity() {
    return id;
  }

  /** Behaviour. */
  public DeviceSettings settings() {
    return settings;
  }

  /** The device as a radio node. */
  public RadioNode node() {
    return node;
  }

  /** Counters for the report. */
  public Counters counters() {
    return counters;
  }

  /** True once a session exists (joined or ABP). */
  public boolean joined() {
    return joined;
  }

  /** The session's DevAddr, if any. */
  public Optional<DevAddr> devAddr() {
    return Optional.ofNullable(devAddr);
  }

  /** The current data rate. */
  public int dataRate() {
    return dataRate;
  }

  /** The current TXPower index. */
  public int txPowerIndex() {
    return txPowerIndex;
  }

  /** The enabled channel indexes. */
  public SortedSet<Integer> enabledChannels() {
    return enabled;
  }

  /** The 32-bit FCntUp the next new uplink will use. */
  public long nextFCntUp() {
    return fCntUp;
  }

  /** RX1 delay in seconds. */
  public int rx1DelaySeconds() {
    return (int) (rx1DelayNanos / SECOND);
  }

  /** RX2 frequency and data rate. */
  public long rx2FrequencyHz() {
    return rx2FrequencyHz;
  }

  /** RX2 data rate. */
  public int rx2DataRate() {
    return rx2DataRate;
  }

  /** RX1DROffset. */
  public int rx1DrOffset() {
    return rx1DrOffset;
  }

  /** MaxDutyCycle exponent from DutyCycleReq. */
  public int maxDutyCycleExp() {
    return maxDutyCycleExp;
  }

  /** NbTrans from LinkADRReq. */
  public int nbTrans() {
    return nbTrans;
  }

  /**
   * Starts the device: OTAA devices send their first join-request, ABP devices their first uplink,
   * each after a random delay in {@code [0, maxStartDelay)} to spread the population.
   */
  public void start(Duration maxStartDelay) {
    start(maxStartDelay, true);
  }

  /**
   * Starts the device; with {@code periodicUplinks} false it only joins and then waits for
   * {@link #sendLoadUplink()} calls (load mode).
   */
  public void start(Duration maxStartDelay, boolean periodicUplinks) {
    this.periodicUplinks = periodicUplinks;
    running = true;
    long delay = maxStartDelay.isZero() ? 0 : random.nextLong(Math.max(1, maxStartDelay.toNanos()));
    if (id.activation() == Activation.ABP) {
      devAddr = id.abpDevAddr().orElseThrow();
      keys = id.abpKeys().orElseThrow();
      session11 = id.macVersion().is1_1();
      joined = true;
      resetPending = session11;
      scheduler.schedule(Duration.ofNanos(delay), this::applicationUplinkDue);
    } else {
      scheduler.schedule(Duration.ofNanos(delay), this::join);
    }
  }

  /** Stops all activity. */
  public void stop() {
    running = false;
  }

  /**
   * Sends nothing more but keeps receiving, so that downlinks answering the last uplinks are
   * still counted (the end of a run).
   */
  public void quiesce() {
    quiescing = true;
  }

  private boolean quiescing;

  // ------------------------------------------------------------------ MAC defaults

  private void resetMacState() {
    for (int i = 0; i < channels.length; i++) {
      channels[i] = i < band.uplinkChannels().size() ? band.uplinkChannels().get(i) : null;
    }
    enabled = new TreeSet<>();
    for (int i = 0; i < band.uplinkChannels().size(); i++) {
      enabled.add(i);
    }
    rx1FrequencyOverride.clear();
    dataRate = settings.dataRate();
    txPowerIndex = 0;
    maxEirpDbm = band.defaultMaxEirpDbm();
    nbTrans = 1;
    rx1DrOffset = 0;
    rx2DataRate = band.rx2().dataRate();
    rx2FrequencyHz = band.rx2().frequencyHz();
    rx1DelayNanos = band.receiveDelay1().toNanos();
    uplinkDwellTime = band.bootDwellTime().uplinks().orElse(false);
    downlinkDwellTime = band.bootDwellTime().downlinks().orElse(false);
    maxDutyCycleExp = 0;
    adrAckLimit = band.adrAckLimit();
    adrAckDelay = band.adrAckDelay();
  }

  // ------------------------------------------------------------------ join

  private void join() {
    if (!running || joined || quiescing) {
      return;
    }
    if (busy) {
      return;
    }
    // two attempts per data rate, then one step lower, down to the lowest LoRa rate, then over
    // again: a device out of range of its initial rate still joins
    joinDataRate = settings.dataRate();
    int steps = (joinAttempts / 2) % (settings.dataRate() + 1);
    for (int i = 0; i < steps; i++) {
      joinDataRate = lowerLoRaDataRate(joinDataRate);
    }
    long now = scheduler.nowNanos();
    long free = earliestChannelTime(joinDataRate);
    if (free > now) {
      scheduler.scheduleAt(free, this::join);
      return;
    }
    int nonce;
    if (id.macVersion().atLeast(dev.loralab.lorawan.MacVersion.V1_0_4)) {
      // 1.0.4 and 1.1: DevNonce is a counter, never reused (1.1 §6.2.2)
      nonce = devNonceCounter++ & 0xFFFF;
    } else {
      // 1.0.0-1.0.3: random, and the network rejects recently used values (1.0.2 §6.2.4)
      do {
        nonce = random.nextInt(0x10000);
      } while (usedDevNonces.contains(nonce) && usedDevNonces.size() < 0x10000);
      usedDevNonces.add(nonce);
    }
    pendingDevNonce = new DevNonce(nonce);
    joinAttempts++;
    JoinRequest jr = new JoinRequest(id.joinEui(), id.devEui(), pendingDevNonce, new Mic(0));
    AesKey key = id.macVersion().is1_1() ? id.nwkKey() : id.appKey();
    Mic mic = Mics.joinRequestMic(key, PhyPayloadCodec.encodeWithoutMic(jr));
    byte[] phy = PhyPayloadCodec.encode(jr.withMic(mic));
    int ch = pickChannel(joinDataRate);
    Transmission t = transmit(ch, joinDataRate, phy);
    counters.joinRequests++;
    listener.joinRequestSent(this, nonce, joinAttempts, t);
    if (firstJoinEnd < 0) {
      firstJoinEnd = t.endNanos();
    }
    openWindows(t, ch, band.rx1DataRate(joinDataRate, 0, downlinkDwellTime), band.joinAcceptDelay1().toNanos(), 0,
        band.rx2().dataRate(), band.rx2().frequencyHz());
    pending = Pending.JOIN;
  }

  private void joinFailed() {
    // exponential backoff with jitter, capped at 64 times the base
    long base = settings.joinBackoffBase().toNanos();
    long factor = 1L << Math.min(6, joinAttempts - 1);
    long delay = base * factor + (base > 0 ? random.nextLong(base) : 0);
    scheduler.schedule(Duration.ofNanos(delay), this::join);
  }

  private boolean handleJoinAccept(EncryptedJoinAccept eja, byte[] phy, Reception r, String window) {
    if (joined || pendingDevNonce == null) {
      return reject("join-accept without a pending join-request");
    }
    AesKey decKey = id.macVersion().is1_1() ? id.nwkKey() : id.appKey();
    byte[] clear;
    JoinAccept ja;
    try {
      byte[] body = PayloadCipher.joinAcceptDecrypt(decKey, eja.encrypted().toArray());
      clear = new byte[1 + body.length];
      clear[0] = phy[0];
      System.arraycopy(body, 0, clear, 1, body.length);
      ja = PhyPayloadCodec.decodeJoinAccept(clear);
    } catch (LoRaWanException e) {
      return reject("join-accept: " + e.getMessage());
    }
    byte[] withoutMic = java.util.Arrays.copyOf(clear, clear.length - Mic.SIZE);
    boolean optNeg = id.macVersion().is1_1() && ja.dlSettings().optNeg();
    Mic expected = optNeg
        ? Mics.joinAcceptMic11(SessionKeyDerivation.jsIntKey(id.nwkKey(), id.devEui()), 0xFF, id.joinEui(),
            pendingDevNonce, withoutMic)
        : Mics.joinAcceptMic10(id.macVersion().is1_1() ? id.nwkKey() : id.appKey(), withoutMic);
    if (!Mics.equalsConstantTime(expected, ja.mic())) {
      counters.micFailures++;
      return reject("join-accept MIC mismatch");
    }
    if (optNeg && ja.joinNonce().value() <= lastJoinNonce) {
      return reject("join-accept JoinNonce " + ja.joinNonce().value() + " not above " + lastJoinNonce);
    }
    lastJoinNonce = ja.joinNonce().value();
    resetMacState();
    dataRate = joinDataRate;
    keys = optNeg
        ? SessionKeyDerivation.derive11(id.nwkKey(), id.appKey(), ja.joinNonce(), id.joinEui(), pendingDevNonce)
        : SessionKeyDerivation.derive10(id.macVersion().is1_1() ? id.nwkKey() : id.appKey(), ja.joinNonce(),
            ja.netId(), pendingDevNonce).asLegacy11();
    session11 = optNeg;
    devAddr = ja.devAddr();
    rx1DrOffset = ja.dlSettings().rx1DrOffset();
    if (band.dataRates().containsKey(ja.dlSettings().rx2DataRate())) {
      rx2DataRate = ja.dlSettings().rx2DataRate();
    }
    rx1DelayNanos = Math.max(1, ja.rxDelay()) * SECOND;
    ja.cfList().ifPresent(this::applyCfList);
    fCntUp = 0;
    fCntDown = -1;
    aFCntDown = -1;
    nFCntDown = -1;
    adrAckCnt = 0;
    ackDownlink = false;
    macAnswers.clear();
    stickyAnswers.clear();
    rekeyPending = session11;
    deviceTimePending = settings.deviceTimeAfterJoin();
    joined = true;
    pendingDevNonce = null;
    counters.joinAccepts++;
    listener.joined(this, devAddr, joinAttempts,
        scheduler.nowNanos() - (firstJoinEnd < 0 ? scheduler.nowNanos() : firstJoinEnd));
    listener.downlinkReceived(this, new DeviceListener.DownlinkInfo(true, -1, -1, false, false, 0, window,
        scheduler.nowNanos() - txEnd, r.rssiDbm(), r.snrDb()));
    counters.downlinks++;
    // first uplink after a random part of the interval
    long firstDelay = random.nextLong(Math.max(1, Math.min(settings.interval().toNanos(), 10 * SECOND)));
    scheduler.schedule(Duration.ofNanos(band.receiveDelay2().toNanos() + firstDelay), this::applicationUplinkDue);
    return true;
  }

  private void applyCfList(CfList cf) {
    if (cf instanceof CfList.Frequencies f && band.channelPlan() == Band.ChannelPlan.DYNAMIC_16) {
      int first = band.uplinkChannels().size();
      for (int i = 0; i < f.frequenciesHz().size() && first + i < channels.length; i++) {
        long hz = f.frequenciesHz().get(i);
        if (hz == 0) {
          continue;
        }
        Channel def = band.uplinkChannels().get(0);
        channels[first + i] = Channel.of(hz, def.minDataRate(), def.maxDataRate());
        enabled.add(first + i);
      }
    } else if (cf instanceof CfList.ChannelMasks m && band.channelPlan() == Band.ChannelPlan.FIXED_72) {
      SortedSet<Integer> on = new TreeSet<>();
      for (int ch = 0; ch < channels.length && ch < CfList.ChannelMasks.COUNT * 16; ch++) {
        if (m.enabled(ch) && channels[ch] != null) {
          on.add(ch);
        }
      }
      if (!on.isEmpty()) {
        enabled = on;
      }
    }
  }

  // ------------------------------------------------------------------ uplinks

  private boolean periodicUplinks = true;

  private void applicationUplinkDue() {
    if (!running || !periodicUplinks) {
      return;
    }
    scheduleNextApplicationUplink();
    if (!joined) {
      return;
    }
    if (busy) {
      appUplinkPending = true;
      return;
    }
    sendApplicationUplink();
  }

  private void scheduleNextApplicationUplink() {
    long interval = settings.interval().toNanos();
    long next;
    if (settings.poisson()) {
      next = (long) (-Math.log(1 - random.nextDouble()) * interval);
    } else {
      long j = settings.jitter().toNanos();
      next = interval + (j > 0 ? random.nextLong(-j, j + 1) : 0);
    }
    scheduler.schedule(Duration.ofNanos(Math.max(1_000_000, next)), this::applicationUplinkDue);
  }

  private void sendApplicationUplink() {
    if (quiescing) {
      return;
    }
    long now = scheduler.nowNanos();
    long free = earliestChannelTime(dataRate);
    if (free > now) {
      counters.dutyCycleDelays++;
      busy = true;
      scheduler.scheduleAt(free, () -> {
        busy = false;
        sendApplicationUplink();
      });
      return;
    }
    byte[] payload = settings.payload().next(uplinks, now / 1e9, random);
    uplinks++;
    Frame f = new Frame(fCntUp++, settings.fPort(), settings.confirmed(), Bytes.of(payload));
    sendData(f, 1);
  }

  /** The content of one uplink; re-sent unchanged (same FCnt) on retransmission. */
  private record Frame(long fCnt, int fPort, boolean confirmed, Bytes payload) {}

  private Frame current;
  private int currentTransmission;
  private byte[] currentFOpts = new byte[0];
  private int currentMacCount;

  private void sendData(Frame f, int transmission) {
    if (quiescing) {
      busy = false;
      return;
    }
    long now = scheduler.nowNanos();
    long free = earliestChannelTime(dataRate);
    if (free > now) {
      counters.dutyCycleDelays++;
      busy = true;
      scheduler.scheduleAt(free, () -> sendData(f, transmission));
      return;
    }
    if (transmission == 1) {
      adrBackoff();
      buildMacPayload();
    }
    current = f;
    currentTransmission = transmission;
    int ch = pickChannel(dataRate);
    byte[] phy = buildDataPhy(f, ch, currentFOpts);
    if (f.confirmed()) {
      lastConfirmedFCntUp = f.fCnt();
    }
    Transmission t = transmit(ch, dataRate, phy);
    counters.uplinks++;
    if (transmission > 1) {
      counters.retransmissions++;
    }
    if (settings.adr() && transmission == 1) {
      adrAckCnt++;
    }
    listener.uplinkSent(this, new DeviceListener.UplinkInfo(devAddr, f.fCnt(), f.fPort(), f.confirmed(), dataRate,
        channels[ch].frequencyHz(), transmission, currentMacCount), t);
    ackDownlink = false;
    int rx1Dr = band.rx1DataRate(dataRate, rx1DrOffset, downlinkDwellTime);
    openWindows(t, ch, rx1Dr, rx1DelayNanos, -1, rx2DataRate, rx2FrequencyHz);
    pending = Pending.DATA;
  }

  /**
   * Load mode: sends one unconfirmed uplink with a fresh FCnt at once, ignoring the duty cycle
   * and opening no receive windows.
   *
   * @return false if the device has no session yet
   */
  public boolean sendLoadUplink() {
    if (!running || quiescing || !joined || pending == Pending.JOIN) {
      return false;
    }
    long now = scheduler.nowNanos();
    Frame f = new Frame(fCntUp++, settings.fPort(), false, Bytes.of(settings.payload().next(uplinks++, now / 1e9, random)));
    int ch = pickChannel(dataRate);
    byte[] phy = buildDataPhy(f, ch, new byte[0]);
    DataRate rate = band.dataRate(dataRate);
    long end = now + TimeOnAir.uplink(phy.length, rate).toNanos();
    Transmission t = air.transmit(this, channels[ch].frequencyHz(), rate.spreadingFactor(), rate.bandwidthHz(),
        band.txPowerDbm(txPowerIndex, maxEirpDbm), now, end, Bytes.of(phy));
    counters.uplinks++;
    listener.uplinkSent(this, new DeviceListener.UplinkInfo(devAddr, f.fCnt(), f.fPort(), false, dataRate,
        channels[ch].frequencyHz(), 1, 0), t);
    return true;
  }

  private byte[] buildDataPhy(Frame f, int ch, byte[] fOptsPlain) {
    boolean adrAckReq = settings.adr() && adrAckCnt >= adrAckLimit;
    FCtrl fCtrl = new FCtrl.Uplink(settings.adr(), adrAckReq, ackDownlink, false);
    int maxFrm = band.maxMacPayloadSize(dataRate, uplinkDwellTime) - FHdr.MIN_SIZE - fOptsPlain.length - 1;
    byte[] payload = f.payload().toArray();
    byte[] plain = payload.length > Math.max(0, maxFrm) ? java.util.Arrays.copyOf(payload, Math.max(0, maxFrm)) : payload;
    if (plain.length < payload.length) {
      counters.truncatedPayloads++;
    }
    byte[] fOpts = fOptsPlain;
    if (session11 && fOpts.length > 0) {
      fOpts = PayloadCipher.fOpts11(keys.nwkSEncKey(), true, devAddr, f.fCnt(), false, fOpts);
    }
    AesKey payloadKey = f.fPort() == 0 ? keys.nwkSEncKey() : keys.appSKey();
    byte[] enc = PayloadCipher.frmPayload(payloadKey, true, devAddr, f.fCnt(), plain);
    DataFrame df = new DataFrame(MType.data(true, f.confirmed()),
        new FHdr(devAddr, fCtrl, (int) (f.fCnt() & 0xFFFF), Bytes.of(fOpts)), OptionalInt.of(f.fPort()),
        Bytes.of(enc), new Mic(0));
    byte[] msg = PhyPayloadCodec.encodeWithoutMic(df);
    Mic mic = session11
        ? Mics.dataUplinkMic11(keys.sNwkSIntKey(), keys.fNwkSIntKey(), ackDownlink ? ackedDownlinkFCnt & 0xFFFF : 0,
            dataRate, ch, devAddr, f.fCnt(), msg)
        : Mics.dataUplinkMic10(keys.fNwkSIntKey(), devAddr, f.fCnt(), msg);
    return PhyPayloadCodec.encode(df.withMic(mic));
  }

  /** Collects MAC answers and requests into FOpts (at most 15 bytes; the rest waits). */
  private void buildMacPayload() {
    List<MacCommand> cmds = new ArrayList<>();
    if (rekeyPending) {
      cmds.add(new MacCommand.RekeyInd(1));
    }
    if (resetPending) {
      cmds.add(new MacCommand.ResetInd(1));
    }
    cmds.addAll(stickyAnswers);
    cmds.addAll(macAnswers);
    macAnswers.clear();
    if (deviceTimePending) {
      cmds.add(new MacCommand.DeviceTimeReq());
      deviceTimePending = false;
    }
    if (settings.linkCheckEvery() > 0 && uplinks > 0 && uplinks % settings.linkCheckEvery() == 0) {
      cmds.add(new MacCommand.LinkCheckReq());
    }
    List<MacCommand> fit = new ArrayList<>();
    int len = 0;
    for (MacCommand c : cmds) {
      int l = MacCommandCodec.encodedLength(c);
      if (len + l <= FHdr.MAX_FOPTS_LENGTH) {
        fit.add(c);
        len += l;
      } else if (!stickyAnswers.contains(c) && !(c instanceof MacCommand.RekeyInd)
          && !(c instanceof MacCommand.ResetInd)) {
        macAnswers.add(c);
      }
    }
    currentFOpts = MacCommandCodec.encode(fit);
    currentMacCount = fit.size();
    counters.macCommandsSent += fit.size();
  }

  private void adrBackoff() {
    if (!settings.adr() || adrAckCnt < adrAckLimit + adrAckDelay) {
      return;
    }
    if ((adrAckCnt - adrAckLimit) % adrAckDelay != 0) {
      return;
    }
    // LoRaWAN 1.0.4 §4.3.1.1 / 1.1 §4.3.1.1: first full power, then lower data rates, then
    // the default channels again
    counters.adrBackoffSteps++;
    if (txPowerIndex != 0) {
      txPowerIndex = 0;
    } else {
      int lower = lowerLoRaDataRate(dataRate);
      if (lower != dataRate) {
        dataRate = lower;
      } else {
        for (int i = 0; i < band.uplinkChannels().size(); i++) {
          enabled.add(i);
        }
      }
    }
  }

  private int lowerLoRaDataRate(int dr) {
    for (int d = dr - 1; d >= 0; d--) {
      if (band.dataRates().containsKey(d) && isLoRa(d) && anyChannelAllows(d)) {
        return d;
      }
    }
    return dr;
  }

  private Transmission transmit(int ch, int dr, byte[] phy) {
    DataRate rate = band.dataRate(dr);
    long start = scheduler.nowNanos();
    long airtime = TimeOnAir.uplink(phy.length, rate).toNanos();
    long end = start + airtime;
    long freq = channels[ch].frequencyHz();
    busy = true;
    txStart = start;
    txEnd = end;
    // duty cycle: time-off after the frame in the sub-band, and the aggregated MaxDutyCycle
    band.findSubBand(freq).ifPresent(sb -> {
      double dc = sb.dutyCycle();
      if (dc > 0 && dc < 1) {
        subBandFreeAt.put(sb, end + (long) (airtime * (1 / dc - 1)));
      }
    });
    if (maxDutyCycleExp > 0) {
      aggregatedFreeAt = end + airtime * ((1L << maxDutyCycleExp) - 1);
    }
    counters.airtimeNanos += airtime;
    return air.transmit(this, freq, rate.spreadingFactor(), rate.bandwidthHz(),
        band.txPowerDbm(txPowerIndex, maxEirpDbm), start, end, Bytes.of(phy));
  }

  private int pickChannel(int dr) {
    long now = scheduler.nowNanos();
    List<Integer> candidates = new ArrayList<>();
    for (int ch : enabled) {
      Channel c = channels[ch];
      if (c != null && c.allows(dr) && channelFreeAt(c) <= now) {
        candidates.add(ch);
      }
    }
    if (candidates.isEmpty()) {
      // no free channel: callers checked earliestChannelTime, so only possible with bad masks
      for (int ch : enabled) {
        if (channels[ch] != null) {
          candidates.add(ch);
        }
      }
      if (candidates.isEmpty()) {
        candidates.add(0);
      }
    }
    return candidates.get(random.nextInt(candidates.size()));
  }

  private long channelFreeAt(Channel c) {
    long free = aggregatedFreeAt;
    Optional<SubBand> sb = band.findSubBand(c.frequencyHz());
    if (sb.isPresent()) {
      free = Math.max(free, subBandFreeAt.getOrDefault(sb.get(), 0L));
    }
    return free;
  }

  private long earliestChannelTime(int dr) {
    long best = Long.MAX_VALUE;
    for (int ch : enabled) {
      Channel c = channels[ch];
      if (c != null && c.allows(dr)) {
        best = Math.min(best, channelFreeAt(c));
      }
    }
    return best == Long.MAX_VALUE ? scheduler.nowNanos() : best;
  }

  // ------------------------------------------------------------------ receive windows

  private void openWindows(Transmission t, int ch, int rx1Dr, long rx1Delay, int unusedOffset, int rx2Dr, long rx2Freq) {
    Long override = rx1FrequencyOverride.get(ch);
    windowFrequencyRx1 = override != null ? override : band.rx1Frequency(t.frequencyHz(), ch);
    windowDrRx1 = rx1Dr;
    windowFrequencyRx2 = rx2Freq;
    windowDrRx2 = rx2Dr;
    rx1Start = t.endNanos() + rx1Delay;
    rx2Start = rx1Start + SECOND;
    downlinkInTransaction = false;
    rx1Received = false;
    long rx2Length = isLoRa(rx2Dr)
        ? TimeOnAir.downlink(band.maxMacPayloadSize(rx2Dr, false) + 5, band.dataRate(rx2Dr)).toNanos() : SECOND;
    long done = rx2Start + WINDOW_TOLERANCE_NANOS + rx2Length + 1_000_000;
    long tx = ++transaction;
    transactionOpen = true;
    scheduler.scheduleAt(done, () -> transactionEnded(tx));
  }

  /**
   * Whether the device would detect a downlink starting at {@code t.startNanos()} on that
   * frequency and modulation, and in which window.
   *
   * @return {@code RX1}, {@code RX2}, {@code RXC} or empty
   */
  public Optional<String> listeningWindow(Transmission t) {
    if (!running) {
      return Optional.empty();
    }
    long s = t.startNanos();
    if (rx1Start >= 0 && Math.abs(s - rx1Start) <= WINDOW_TOLERANCE_NANOS && matches(t, windowFrequencyRx1, windowDrRx1)) {
      return Optional.of("RX1");
    }
    if (rx2Start >= 0 && !rx1Received && Math.abs(s - rx2Start) <= WINDOW_TOLERANCE_NANOS
        && matches(t, windowFrequencyRx2, windowDrRx2)) {
      return Optional.of("RX2");
    }
    if (settings.deviceClass() == DeviceClass.C && joined && !(s >= txStart && s < txEnd)
        && !(rx1Start >= 0 && Math.abs(s - rx1Start) <= WINDOW_TOLERANCE_NANOS)
        && matches(t, rx2FrequencyHz, rx2DataRate)) {
      return Optional.of("RXC");
    }
    return Optional.empty();
  }

  private boolean matches(Transmission t, long freq, int dr) {
    if (t.frequencyHz() != freq || !band.dataRates().containsKey(dr) || !isLoRa(dr)) {
      return false;
    }
    DataRate rate = band.dataRate(dr);
    return rate.spreadingFactor() == t.spreadingFactor() && rate.bandwidthHz() == t.bandwidthHz();
  }

  private long transaction;
  private boolean transactionOpen;

  private void transactionEnded(long tx) {
    if (tx != transaction || !transactionOpen) {
      return;
    }
    transactionOpen = false;
    Pending p = pending;
    pending = null;
    busy = false;
    if (!running) {
      return;
    }
    if (p == Pending.JOIN) {
      if (!joined) {
        joinFailed();
      }
      return;
    }
    if (p == Pending.DATA && current != null) {
      if (current.confirmed() && !confirmedAcked && currentTransmission < Math.max(settings.maxConfirmedRetransmissions(), 1)) {
        // RETRANSMIT_TIMEOUT: 1..3 s
        busy = true;
        Frame f = current;
        int n = currentTransmission + 1;
        scheduler.schedule(Duration.ofMillis(1000 + random.nextInt(2001)), () -> sendData(f, n));
        return;
      }
      if (!current.confirmed() && !downlinkInTransaction && currentTransmission < nbTrans) {
        busy = true;
        Frame f = current;
        int n = currentTransmission + 1;
        scheduler.schedule(Duration.ofMillis(100 + random.nextInt(400)), () -> sendData(f, n));
        return;
      }
      if (current.confirmed() && !confirmedAcked) {
        counters.confirmedUnacknowledged++;
      }
      confirmedAcked = false;
      current = null;
    }
    if (appUplinkPending) {
      appUplinkPending = false;
      sendApplicationUplink();
    }
  }

  private boolean confirmedAcked;

  private enum Pending {
    JOIN,
    DATA
  }

  // ------------------------------------------------------------------ downlinks

  /**
   * Handles a downlink the radio model delivered while {@link #listeningWindow} said the device
   * was listening. Invalid frames are counted and ignored.
   */
  public void onDownlink(Transmission t, Reception r, String window) {
    if (!running) {
      return;
    }
    byte[] phy = ((Bytes) t.payload()).toArray();
    PhyPayload p;
    try {
      p = PhyPayloadCodec.decode(phy);
    } catch (LoRaWanException e) {
      reject("undecodable downlink: " + e.getMessage());
      return;
    }
    boolean ok;
    if (p instanceof EncryptedJoinAccept eja) {
      ok = handleJoinAccept(eja, phy, r, window);
    } else if (p instanceof DataFrame df && !df.uplink()) {
      ok = handleData(df, phy, r, window);
    } else {
      ok = reject("not a downlink for a device: " + p.mType());
    }
    if (ok) {
      downlinkInTransaction = true;
      if ("RX1".equals(window)) {
        rx1Received = true;
      }
      adrAckCnt = 0;
      if ("RX1".equals(window) || "RX2".equals(window)) {
        // class A: the transaction is over once a downlink was received
        long tx = transaction;
        scheduler.execute(() -> transactionEnded(tx));
      }
    }
  }

  private boolean handleData(DataFrame df, byte[] phy, Reception r, String window) {
    if (!joined || devAddr == null || !df.devAddr().equals(devAddr)) {
      return false; // for another device: not an error
    }
    boolean nwkCounter = session11 && (df.fPort().isEmpty() || df.fPort().getAsInt() == 0);
    long last = !session11 ? fCntDown : nwkCounter ? nFCntDown : aFCntDown;
    long fCnt32 = last < 0 ? df.fCnt() : FCnt.reconstruct(last, df.fCnt());
    int confFCnt = session11 && df.fHdr().fCtrl().ack() && lastConfirmedFCntUp >= 0
        ? (int) (lastConfirmedFCntUp & 0xFFFF) : 0;
    byte[] msg = java.util.Arrays.copyOf(phy, phy.length - Mic.SIZE);
    Mic expected = Mics.dataDownlinkMic(keys.sNwkSIntKey(), devAddr, fCnt32, confFCnt, msg);
    if (!Mics.equalsConstantTime(expected, df.mic())) {
      counters.micFailures++;
      return reject("downlink MIC mismatch (FCnt " + fCnt32 + ")");
    }
    if (last >= 0 && fCnt32 <= last) {
      return reject("downlink FCnt " + fCnt32 + " not above " + last);
    }
    if (!session11) {
      fCntDown = fCnt32;
    } else if (nwkCounter) {
      nFCntDown = fCnt32;
    } else {
      aFCntDown = fCnt32;
    }
    byte[] fOpts = df.fHdr().fOpts().toArray();
    if (session11 && fOpts.length > 0) {
      fOpts = PayloadCipher.fOpts11(keys.nwkSEncKey(), false, devAddr, fCnt32, nwkCounter, fOpts);
    }
    byte[] macBytes = fOpts;
    int fPort = df.fPort().orElse(-1);
    if (fPort == 0) {
      if (fOpts.length > 0) {
        return reject("downlink with FPort 0 and FOpts");
      }
      macBytes = PayloadCipher.frmPayload(keys.nwkSEncKey(), false, devAddr, fCnt32, df.frmPayload().toArray());
    } else if (fPort > 0) {
      PayloadCipher.frmPayload(keys.appSKey(), false, devAddr, fCnt32, df.frmPayload().toArray());
      counters.applicationDownlinks++;
    }
    if (df.fHdr().fCtrl().ack() && current != null && current.confirmed()) {
      confirmedAcked = true;
      counters.acknowledged++;
    }
    if (df.confirmed()) {
      ackDownlink = true;
      ackedDownlinkFCnt = (int) (fCnt32 & 0xFFFF);
    }
    lastDownlinkSnr = r.snrDb();
    // a class A downlink means the network has the sticky answers of the last uplink
    stickyAnswers.clear();
    int macCount = 0;
    if (macBytes.length > 0) {
      try {
        List<MacCommand> cmds = MacCommandCodec.decode(macBytes, false);
        macCount = cmds.size();
        handleMacCommands(cmds);
      } catch (LoRaWanException e) {
        counters.macCommandErrors++;
        reject("MAC commands: " + e.getMessage());
      }
    }
    counters.downlinks++;
    listener.downlinkReceived(this, new DeviceListener.DownlinkInfo(false, fCnt32, fPort, df.confirmed(),
        df.fHdr().fCtrl().ack(), macCount, window, scheduler.nowNanos() - txEnd, r.rssiDbm(), r.snrDb()));
    if (df.confirmed() || (df.fHdr().fCtrl() instanceof FCtrl.Downlink d && d.fPending())) {
      // answer soon so the network gets the ACK / can send the rest (class A)
      scheduler.schedule(Duration.ofSeconds(3), () -> {
        if (running && !busy) {
          appUplinkPending = false;
          sendApplicationUplink();
        } else {
          appUplinkPending = true;
        }
      });
    }
    return true;
  }

  private boolean reject(String reason) {
    counters.rejectedDownlinks++;
    listener.downlinkRejected(this, reason);
    return false;
  }

  // ------------------------------------------------------------------ MAC commands

  private void handleMacCommands(List<MacCommand> cmds) {
    for (int i = 0; i < cmds.size(); i++) {
      MacCommand c = cmds.get(i);
      counters.macCommandsReceived++;
      if (c instanceof MacCommand.LinkADRReq) {
        // a contiguous block of LinkADRReq is applied atomically (1.0.4/1.1 §5.3)
        int j = i;
        List<MacCommand.LinkADRReq> block = new ArrayList<>();
        while (j < cmds.size() && cmds.get(j) instanceof MacCommand.LinkADRReq req) {
          block.add(req);
          j++;
        }
        linkAdr(block);
        i = j - 1;
      } else if (c instanceof MacCommand.DutyCycleReq d) {
        maxDutyCycleExp = d.maxDutyCycle();
        macAnswers.add(new MacCommand.DutyCycleAns());
      } else if (c instanceof MacCommand.RXParamSetupReq p) {
        boolean offOk = p.rx1DrOffset() <= band.rx1DataRateRule().maxOffset();
        boolean drOk = band.dataRates().containsKey(p.rx2DataRate()) && isLoRa(p.rx2DataRate());
        boolean freqOk = band.findSubBand(p.frequencyHz()).isPresent();
        if (offOk && drOk && freqOk) {
          rx1DrOffset = p.rx1DrOffset();
          rx2DataRate = p.rx2DataRate();
          rx2FrequencyHz = p.frequencyHz();
        }
        stickyAnswers.add(new MacCommand.RXParamSetupAns(offOk, drOk, freqOk));
      } else if (c instanceof MacCommand.DevStatusReq) {
        int margin = (int) Math.max(-32, Math.min(31, Math.round(lastDownlinkSnr)));
        macAnswers.add(new MacCommand.DevStatusAns(settings.battery(), margin));
      } else if (c instanceof MacCommand.NewChannelReq n) {
        macAnswers.add(newChannel(n));
      } else if (c instanceof MacCommand.RXTimingSetupReq t) {
        rx1DelayNanos = Math.max(1, t.delay()) * SECOND;
        stickyAnswers.add(new MacCommand.RXTimingSetupAns());
      } else if (c instanceof MacCommand.TxParamSetupReq t) {
        if (band.txParamSetupReqSupported()) {
          uplinkDwellTime = t.uplinkDwellTime();
          downlinkDwellTime = t.downlinkDwellTime();
          maxEirpDbm = MAX_EIRP_TABLE[t.maxEirp() & 0x0F];
          macAnswers.add(new MacCommand.TxParamSetupAns());
        } else {
          counters.macCommandsIgnored++;
        }
      } else if (c instanceof MacCommand.DlChannelReq d) {
        boolean exists = d.chIndex() < channels.length && channels[d.chIndex()] != null;
        boolean freqOk = band.findSubBand(d.frequencyHz()).isPresent();
        if (exists && freqOk) {
          rx1FrequencyOverride.put(d.chIndex(), d.frequencyHz());
        }
        stickyAnswers.add(new MacCommand.DlChannelAns(exists, freqOk));
      } else if (c instanceof MacCommand.LinkCheckAns l) {
        counters.linkChecks++;
        counters.lastLinkMargin = l.margin();
        counters.lastLinkGatewayCount = l.gwCnt();
      } else if (c instanceof MacCommand.DeviceTimeAns) {
        counters.deviceTimeAnswers++;
      } else if (c instanceof MacCommand.RekeyConf) {
        rekeyPending = false;
      } else if (c instanceof MacCommand.ResetConf) {
        resetPending = false;
      } else if (c instanceof MacCommand.ADRParamSetupReq a && session11) {
        adrAckLimit = 1 << a.limitExp();
        adrAckDelay = 1 << a.delayExp();
        macAnswers.add(new MacCommand.ADRParamSetupAns());
      } else {
        counters.macCommandsIgnored++;
      }
    }
  }

  private void linkAdr(List<MacCommand.LinkADRReq> block) {
    SortedSet<Integer> defined = new TreeSet<>();
    for (int ch = 0; ch < channels.length; ch++) {
      if (channels[ch] != null) {
        defined.add(ch);
      }
    }
    SortedSet<Integer> mask = enabled;
    boolean chOk = true;
    for (MacCommand.LinkADRReq r : block) {
      try {
        mask = band.applyLinkAdrChannelMask(mask, defined, r.chMaskCntl(), r.chMask());
      } catch (FrequencyPlanException e) {
        chOk = false;
      }
    }
    if (chOk) {
      SortedSet<Integer> usable = new TreeSet<>();
      for (int ch : mask) {
        if (ch < channels.length && channels[ch] != null) {
          usable.add(ch);
        } else {
          chOk = false;
        }
      }
      chOk = chOk && !usable.isEmpty();
      mask = usable;
    }
    MacCommand.LinkADRReq last = block.get(block.size() - 1);
    int newDr = last.dataRate() == 0x0F ? dataRate : last.dataRate();
    boolean drOk = band.dataRates().containsKey(newDr) && isLoRa(newDr);
    if (drOk && chOk) {
      boolean any = false;
      for (int ch : mask) {
        any |= channels[ch].allows(newDr);
      }
      drOk = any;
    }
    int newPower = last.txPower() == 0x0F ? txPowerIndex : last.txPower();
    boolean powerOk = newPower < band.txPowerOffsetsDb().size();
    if (chOk && drOk && powerOk) {
      enabled = mask;
      dataRate = newDr;
      txPowerIndex = newPower;
      nbTrans = last.nbTrans() == 0 ? 1 : last.nbTrans();
      counters.adrChanges++;
    }
    for (int i = 0; i < block.size(); i++) {
      macAnswers.add(new MacCommand.LinkADRAns(powerOk, drOk, chOk));
    }
  }

  private MacCommand newChannel(MacCommand.NewChannelReq n) {
    if (band.channelPlan() != Band.ChannelPlan.DYNAMIC_16) {
      counters.macCommandsIgnored++;
      return new MacCommand.NewChannelAns(false, false);
    }
    int idx = n.chIndex();
    boolean freqOk = idx >= band.uplinkChannels().size() && idx < channels.length
        && (n.frequencyHz() == 0 || band.findSubBand(n.frequencyHz()).isPresent());
    boolean drOk = n.minDr() <= n.maxDr() && band.dataRates().containsKey(n.minDr())
        && band.dataRates().containsKey(n.maxDr());
    if (freqOk && drOk) {
      if (n.frequencyHz() == 0) {
        channels[idx] = null;
        enabled.remove(idx);
      } else {
        channels[idx] = Channel.of(n.frequencyHz(), n.minDr(), n.maxDr());
        SortedSet<Integer> e = new TreeSet<>(enabled);
        e.add(idx);
        enabled = e;
      }
    }
    return new MacCommand.NewChannelAns(drOk, freqOk);
  }

  private boolean isLoRa(int dr) {
    return band.dataRates().containsKey(dr)
        && band.dataRate(dr).modulation() == DataRate.Modulation.LORA;
  }

  private boolean anyChannelAllows(int dr) {
    for (int ch : enabled) {
      if (channels[ch] != null && channels[ch].allows(dr)) {
        return true;
      }
    }
    return false;
  }

  /** Per-device counters (mutable, simulation thread only). */
  public static final class Counters {
    /** Join-requests sent. */
    public long joinRequests;
    /** Join-accepts accepted. */
    public long joinAccepts;
    /** Data uplink transmissions, retransmissions included. */
    public long uplinks;
    /** Retransmissions (same FCnt). */
    public long retransmissions;
    /** Valid downlinks received, join-accepts included. */
    public long downlinks;
    /** Downlinks with FPort &gt; 0. */
    public long applicationDownlinks;
    /** Confirmed uplinks acknowledged. */
    public long acknowledged;
    /** Confirmed uplinks given up without ACK. */
    public long confirmedUnacknowledged;
    /** Downlinks rejected. */
    public long rejectedDownlinks;
    /** MIC mismatches among them. */
    public long micFailures;
    /** MAC commands received. */
    public long macCommandsReceived;
    /** MAC commands not supported or not applicable. */
    public long macCommandsIgnored;
    /** Undecodable MAC command payloads. */
    public long macCommandErrors;
    /** MAC commands sent. */
    public long macCommandsSent;
    /** LinkADRReq blocks applied. */
    public long adrChanges;
    /** ADR backoff steps taken. */
    public long adrBackoffSteps;
    /** Uplinks delayed by the duty cycle. */
    public long dutyCycleDelays;
    /** Payloads cut to the data rate's maximum size. */
    public long truncatedPayloads;
    /** LinkCheckAns received. */
    public long linkChecks;
    /** Margin of the last LinkCheckAns. */
    public int lastLinkMargin;
    /** Gateway count of the last LinkCheckAns. */
    public int lastLinkGatewayCount;
    /** DeviceTimeAns received. */
    public long deviceTimeAnswers;
    /** Total airtime. */
    public long airtimeNanos;
  }
}

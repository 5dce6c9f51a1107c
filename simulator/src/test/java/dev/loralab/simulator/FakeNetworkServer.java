package dev.loralab.simulator;

import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.DataRate;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.FCnt;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.NetId;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.crypto.SessionKeyDerivation;
import dev.loralab.lorawan.crypto.SessionKeys11;
import dev.loralab.lorawan.frame.CfList;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.DlSettings;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.lorawan.frame.FHdr;
import dev.loralab.lorawan.frame.JoinAccept;
import dev.loralab.lorawan.frame.JoinRequest;
import dev.loralab.lorawan.frame.MType;
import dev.loralab.lorawan.frame.PhyPayload;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.lorawan.mac.MacCommandCodec;
import dev.loralab.simulator.device.DeviceIdentity;
import dev.loralab.simulator.gateway.GatewayLink;
import dev.loralab.simulator.gateway.LoRaDataRate;
import dev.loralab.simulator.gateway.RxPacket;
import dev.loralab.simulator.gateway.SemtechPacket;
import dev.loralab.simulator.gateway.SemtechUdpCodec;
import dev.loralab.simulator.gateway.TxAckError;
import dev.loralab.simulator.gateway.TxPacket;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A small LoRaWAN network server for tests: it speaks Semtech UDP (in memory) to the simulated
 * gateways, accepts joins with the devices' root keys, checks uplink MICs, deduplicates frames
 * heard by several gateways, and answers class A downlinks in RX1 (ACKs, queued MAC commands and
 * application data). It knows the devices from the scenario's {@link Provisioning}.
 */
final class FakeNetworkServer implements GatewayLinkFactory {

  static final NetId NET_ID = new NetId(0x000013);

  private final Band band;
  private final SemtechUdpCodec codec = new SemtechUdpCodec();
  private final Map<Eui64, DeviceIdentity> byDevEui = new HashMap<>();
  private final Map<DevAddr, Session> byDevAddr = new HashMap<>();
  private final Map<Eui64, Session> sessions = new HashMap<>();
  private final Map<Eui64, Consumer<byte[]>> downstream = new HashMap<>();
  private final Map<Eui64, Integer> gatewayVersion = new HashMap<>();
  private final Map<Bytes, Long> seen = new HashMap<>();
  private SimScheduler scheduler;
  private int nextDevAddr = 0x0100_0001;
  private int joinNonce = 1;

  /** Join-requests to ignore per device before accepting one (to exercise retries). */
  int ignoreJoinRequests;
  /** Whether to answer data uplinks at all (false: exercise ADR backoff). */
  boolean answerUplinks = true;
  /** Answer data uplinks in RX2 instead of RX1. */
  boolean useRx2;

  // observations
  final List<Forwarded> forwarded = new ArrayList<>();
  final Map<Eui64, List<Integer>> devNonces = new HashMap<>();
  final Map<Eui64, List<MacCommand>> macFromDevices = new HashMap<>();
  final Map<TxAckError, Integer> txAcks = new HashMap<>();
  int joinRequests;
  int joinAccepts;
  int duplicates;
  int micFailures;
  int pullData;
  int stats;
  int adrAckReqs;

  /** One uplink as the application would see it. */
  record Forwarded(Eui64 devEui, DevAddr devAddr, long fCnt, int fPort, boolean confirmed, Bytes payload) {}

  /** The server's view of a session. */
  static final class Session {
    final DeviceIdentity id;
    DevAddr devAddr;
    SessionKeys11 keys;
    boolean v11;
    long lastFCntUp = -1;
    long fCntDown;
    long aFCntDown;
    final Deque<MacCommand> macQueue = new ArrayDeque<>();
    int rx1DelaySeconds = 1;
    int rx2DataRate = -1;
    long rx2FrequencyHz;
    Integer pendingRxDelay;
    MacCommand.RXParamSetupReq pendingRxParams;
    final Deque<byte[]> appQueue = new ArrayDeque<>();

    Session(DeviceIdentity id) {
      this.id = id;
    }
  }

  FakeNetworkServer(Provisioning provisioning, Band band) {
    this.band = band;
    for (Provisioning.Device d : provisioning.devices()) {
      byDevEui.put(d.identity().devEui(), d.identity());
      if (d.identity().abpDevAddr().isPresent()) {
        Session s = new Session(d.identity());
        s.devAddr = d.identity().abpDevAddr().get();
        s.keys = d.identity().abpKeys().get();
        s.v11 = d.identity().macVersion().is1_1();
        sessions.put(d.identity().devEui(), s);
        byDevAddr.put(s.devAddr, s);
      }
    }
  }

  /** Queues MAC commands for the next downlink of a device. */
  void queueMac(Eui64 devEui, MacCommand... cmds) {
    Session s = session(devEui);
    s.macQueue.addAll(List.of(cmds));
    for (MacCommand c : cmds) {
      if (c instanceof MacCommand.RXTimingSetupReq t) {
        s.pendingRxDelay = Math.max(1, t.delay());
      } else if (c instanceof MacCommand.RXParamSetupReq r) {
        s.pendingRxParams = r;
      }
    }
  }

  /** Queues an application payload for the next downlink of a device. */
  void queueData(Eui64 devEui, byte[] payload) {
    session(devEui).appQueue.add(payload);
  }

  Session session(Eui64 devEui) {
    Session s = sessions.get(devEui);
    if (s == null) {
      throw new IllegalStateException("no session for " + devEui);
    }
    return s;
  }

  boolean hasSession(Eui64 devEui) {
    return sessions.containsKey(devEui);
  }

  /** Sends a class C downlink at once (imme) on RX2 through the first gateway. */
  void sendClassC(Eui64 devEui, byte[] payload) {
    Session s = session(devEui);
    s.appQueue.add(payload);
    byte[] phy = dataDown(s, false, false, -1);
    DataRate rx2 = band.dataRate(band.rx2().dataRate());
    Eui64 gw = downstream.keySet().iterator().next();
    TxPacket tx = new TxPacket(true, OptionalLong.empty(), band.rx2().frequencyHz(), 0, 14,
        new LoRaDataRate(rx2.spreadingFactor(), rx2.bandwidthHz()), "4/5", true, true, Bytes.of(phy));
    downstream.get(gw).accept(codec.encode(new SemtechPacket.PullResp(gatewayVersion.getOrDefault(gw, 2), 7, tx)));
  }

  private final List<Map.Entry<java.time.Duration, Runnable>> planned = new ArrayList<>();

  /** Runs an action at a simulation time (scheduled once the simulation opens its links). */
  void at(java.time.Duration time, Runnable action) {
    planned.add(Map.entry(time, action));
  }

  @Override
  public GatewayLink open(Scenario.GatewaySpec gateway, SimScheduler scheduler, Consumer<byte[]> down) {
    if (this.scheduler == null) {
      for (Map.Entry<java.time.Duration, Runnable> e : planned) {
        scheduler.scheduleAt(e.getKey().toNanos(), e.getValue());
      }
    }
    this.scheduler = scheduler;
    downstream.put(gateway.eui(), down);
    return new GatewayLink() {
      @Override
      public void send(byte[] datagram) {
        handle(gateway.eui(), datagram);
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Entry point for a real UDP server: handles one datagram and answers through {@code reply}
   * (which also becomes the gateway's downlink path).
   */
  synchronized void receive(byte[] datagram, Consumer<byte[]> reply) {
    SemtechPacket p = codec.decode(datagram);
    Eui64 eui = p instanceof SemtechPacket.PullData d ? d.gatewayEui()
        : p instanceof SemtechPacket.PushData d ? d.gatewayEui()
        : p instanceof SemtechPacket.TxAck a ? a.gatewayEui() : null;
    if (eui != null) {
      downstream.put(eui, reply);
      handle(eui, datagram);
    }
  }

  private long now() {
    return scheduler != null ? scheduler.nowNanos() : System.nanoTime();
  }

  private void handle(Eui64 from, byte[] datagram) {
    SemtechPacket p = codec.decode(datagram);
    Consumer<byte[]> down = downstream.get(from);
    gatewayVersion.put(from, p.version());
    if (p instanceof SemtechPacket.PullData d) {
      pullData++;
      down.accept(codec.encode(new SemtechPacket.PullAck(d.version(), d.token())));
    } else if (p instanceof SemtechPacket.PushData d) {
      down.accept(codec.encode(new SemtechPacket.PushAck(d.version(), d.token())));
      if (d.stat().isPresent()) {
        stats++;
      }
      for (RxPacket rx : d.rxpk()) {
        Long last = seen.get(rx.data());
        long now = now();
        if (last != null && now - last < 500_000_000L) {
          duplicates++;
          continue;
        }
        seen.put(rx.data(), now);
        uplink(from, d.version(), rx);
      }
    } else if (p instanceof SemtechPacket.TxAck a) {
      txAcks.merge(a.error(), 1, Integer::sum);
    }
  }

  private void uplink(Eui64 gateway, int version, RxPacket rx) {
    byte[] phy = rx.data().toArray();
    PhyPayload p = PhyPayloadCodec.decode(phy);
    if (p instanceof JoinRequest jr) {
      join(gateway, version, rx, jr, phy);
    } else if (p instanceof DataFrame df && df.uplink()) {
      data(gateway, version, rx, df, phy);
    }
  }

  private void join(Eui64 gateway, int version, RxPacket rx, JoinRequest jr, byte[] phy) {
    joinRequests++;
    DeviceIdentity id = byDevEui.get(jr.devEui());
    if (id == null) {
      return;
    }
    boolean v11 = id.macVersion().is1_1();
    Mic mic = Mics.joinRequestMic(v11 ? id.nwkKey() : id.appKey(), Arrays.copyOf(phy, phy.length - 4));
    if (!Mics.equalsConstantTime(mic, jr.mic())) {
      micFailures++;
      return;
    }
    List<Integer> nonces = devNonces.computeIfAbsent(jr.devEui(), k -> new ArrayList<>());
    nonces.add(jr.devNonce().value());
    if (nonces.size() <= ignoreJoinRequests) {
      return;
    }
    Session s = new Session(id);
    s.v11 = v11;
    s.devAddr = new DevAddr(nextDevAddr++);
    JoinNonce jn = new JoinNonce(joinNonce++);
    DlSettings dl = new DlSettings(v11, 0, band.rx2().dataRate());
    CfList cf = CfList.Frequencies.of(867_100_000L, 867_300_000L, 867_500_000L, 867_700_000L, 867_900_000L);
    Optional<CfList> cfList = band.cfListType() == Band.CfListType.FREQUENCIES ? Optional.of(cf) : Optional.empty();
    JoinAccept ja = new JoinAccept(jn, NET_ID, s.devAddr, dl, 1, cfList, new Mic(0));
    byte[] withoutMic = PhyPayloadCodec.encodeWithoutMic(ja);
    Mic jaMic = v11
        ? Mics.joinAcceptMic11(SessionKeyDerivation.jsIntKey(id.nwkKey(), id.devEui()), 0xFF, id.joinEui(),
            jr.devNonce(), withoutMic)
        : Mics.joinAcceptMic10(id.appKey(), withoutMic);
    byte[] clear = PhyPayloadCodec.encode(ja.withMic(jaMic));
    byte[] enc = PayloadCipher.joinAcceptEncrypt(v11 ? id.nwkKey() : id.appKey(),
        Arrays.copyOfRange(clear, 1, clear.length));
    byte[] out = new byte[1 + enc.length];
    out[0] = clear[0];
    System.arraycopy(enc, 0, out, 1, enc.length);
    s.keys = v11
        ? SessionKeyDerivation.derive11(id.nwkKey(), id.appKey(), jn, id.joinEui(), jr.devNonce())
        : SessionKeyDerivation.derive10(id.appKey(), jn, NET_ID, jr.devNonce()).asLegacy11();
    Session old = sessions.put(id.devEui(), s);
    if (old != null) {
      byDevAddr.remove(old.devAddr);
    }
    byDevAddr.put(s.devAddr, s);
    joinAccepts++;
    sendRx1(gateway, version, rx, out, band.joinAcceptDelay1().toNanos() / 1000);
  }

  private void data(Eui64 gateway, int version, RxPacket rx, DataFrame df, byte[] phy) {
    Session s = byDevAddr.get(df.devAddr());
    if (s == null) {
      return;
    }
    long fCnt = s.lastFCntUp < 0 ? df.fCnt() : FCnt.reconstruct(s.lastFCntUp, df.fCnt());
    byte[] msg = Arrays.copyOf(phy, phy.length - 4);
    boolean ok;
    if (s.v11) {
      // only the FNwkSIntKey half can be checked without TxDr/TxCh guesses; check both halves
      ok = false;
      for (int ch = 0; ch < 16 && !ok; ch++) {
        int dr = band.dataRateIndex(DataRate.lora(rx.dataRate().spreadingFactor(), rx.dataRate().bandwidthHz()))
            .orElse(0);
        Mic m = Mics.dataUplinkMic11(s.keys.sNwkSIntKey(), s.keys.fNwkSIntKey(),
            df.fHdr().fCtrl().ack() ? (int) ((s.fCntDown - 1) & 0xFFFF) : 0, dr, ch, s.devAddr, fCnt, msg);
        ok = Mics.equalsConstantTime(m, df.mic());
      }
    } else {
      ok = Mics.equalsConstantTime(Mics.dataUplinkMic10(s.keys.fNwkSIntKey(), s.devAddr, fCnt, msg), df.mic());
    }
    if (!ok) {
      micFailures++;
      return;
    }
    boolean retransmission = fCnt == s.lastFCntUp;
    s.lastFCntUp = fCnt;
    int fPort = df.fPort().orElse(-1);
    byte[] fOpts = df.fHdr().fOpts().toArray();
    if (s.v11 && fOpts.length > 0) {
      fOpts = PayloadCipher.fOpts11(s.keys.nwkSEncKey(), true, s.devAddr, fCnt, false, fOpts);
    }
    byte[] plain = fPort < 0 ? new byte[0]
        : PayloadCipher.frmPayload(fPort == 0 ? s.keys.nwkSEncKey() : s.keys.appSKey(), true, s.devAddr, fCnt,
            df.frmPayload().toArray());
    List<MacCommand> macs = new ArrayList<>(MacCommandCodec.decode(fPort == 0 ? plain : fOpts, true));
    macFromDevices.computeIfAbsent(s.id.devEui(), k -> new ArrayList<>()).addAll(macs);
    for (MacCommand c : macs) {
      if (c instanceof MacCommand.RekeyInd) {
        s.macQueue.add(new MacCommand.RekeyConf(1));
      } else if (c instanceof MacCommand.ResetInd) {
        s.macQueue.add(new MacCommand.ResetConf(1));
      } else if (c instanceof MacCommand.LinkCheckReq) {
        s.macQueue.add(new MacCommand.LinkCheckAns((int) Math.max(0, Math.round(rx.lsnr() + 20)), 1));
      } else if (c instanceof MacCommand.DeviceTimeReq) {
        s.macQueue.add(new MacCommand.DeviceTimeAns(1_400_000_000L, 0));
      } else if (c instanceof MacCommand.RXTimingSetupAns && s.pendingRxDelay != null) {
        s.rx1DelaySeconds = s.pendingRxDelay;
        s.pendingRxDelay = null;
      } else if (c instanceof MacCommand.RXParamSetupAns a && s.pendingRxParams != null) {
        if (a.rx1DrOffsetAck() && a.rx2DataRateAck() && a.channelAck()) {
          s.rx2DataRate = s.pendingRxParams.rx2DataRate();
          s.rx2FrequencyHz = s.pendingRxParams.frequencyHz();
        }
        s.pendingRxParams = null;
      }
    }
    if (((FCtrl.Uplink) df.fHdr().fCtrl()).adrAckReq()) {
      adrAckReqs++;
    }
    if (!retransmission && fPort > 0) {
      forwarded.add(new Forwarded(s.id.devEui(), s.devAddr, fCnt, fPort, df.confirmed(), Bytes.of(plain)));
    }
    if (!answerUplinks) {
      return;
    }
    boolean ack = df.confirmed();
    if (ack || !s.macQueue.isEmpty() || !s.appQueue.isEmpty()
        || ((FCtrl.Uplink) df.fHdr().fCtrl()).adrAckReq()) {
      byte[] out = dataDown(s, ack, false, fCnt);
      if (useRx2) {
        int dr = s.rx2DataRate >= 0 ? s.rx2DataRate : band.rx2().dataRate();
        long hz = s.rx2DataRate >= 0 ? s.rx2FrequencyHz : band.rx2().frequencyHz();
        send(gateway, version, (rx.tmst() + (s.rx1DelaySeconds + 1) * 1_000_000L) & 0xFFFF_FFFFL, hz,
            band.dataRate(dr), out);
      } else {
        sendRx1(gateway, version, rx, out, s.rx1DelaySeconds * 1_000_000L);
      }
    }
  }

  /** Builds a downlink with queued MAC commands (FOpts) and/or application data. */
  private byte[] dataDown(Session s, boolean ack, boolean confirmed, long ackedFCntUp) {
    List<MacCommand> macs = new ArrayList<>();
    int len = 0;
    while (!s.macQueue.isEmpty() && len + MacCommandCodec.encodedLength(s.macQueue.peek()) <= 15) {
      len += MacCommandCodec.encodedLength(s.macQueue.peek());
      macs.add(s.macQueue.poll());
    }
    byte[] fOpts = MacCommandCodec.encode(macs);
    byte[] app = s.appQueue.poll();
    boolean nwk = app == null;
    long fCnt = !s.v11 || nwk ? s.fCntDown++ : s.aFCntDown++;
    if (s.v11 && fOpts.length > 0) {
      fOpts = PayloadCipher.fOpts11(s.keys.nwkSEncKey(), false, s.devAddr, fCnt, nwk, fOpts);
    }
    OptionalInt fPort = app == null ? OptionalInt.empty() : OptionalInt.of(10);
    Bytes frm = app == null ? Bytes.EMPTY
        : Bytes.of(PayloadCipher.frmPayload(s.keys.appSKey(), false, s.devAddr, fCnt, app));
    DataFrame df = new DataFrame(MType.data(false, confirmed),
        new FHdr(s.devAddr, new FCtrl.Downlink(false, ack, false), (int) (fCnt & 0xFFFF), Bytes.of(fOpts)),
        fPort, frm, new Mic(0));
    int confFCnt = s.v11 && ack ? (int) (ackedFCntUp & 0xFFFF) : 0;
    Mic mic = Mics.dataDownlinkMic(s.keys.sNwkSIntKey(), s.devAddr, fCnt, confFCnt,
        PhyPayloadCodec.encodeWithoutMic(df));
    return PhyPayloadCodec.encode(df.withMic(mic));
  }

  private void sendRx1(Eui64 gateway, int version, RxPacket rx, byte[] phy, long delayMicros) {
    int upDr = band.dataRateIndex(DataRate.lora(rx.dataRate().spreadingFactor(), rx.dataRate().bandwidthHz()))
        .orElseThrow();
    DataRate dr = band.dataRate(band.rx1DataRate(upDr, 0, false));
    long hz = band.rx1Frequency(rx.frequencyHz(), band.uplinkChannelIndex(rx.frequencyHz()).orElse(0));
    send(gateway, version, (rx.tmst() + delayMicros) & 0xFFFF_FFFFL, hz, dr, phy);
  }

  private void send(Eui64 gateway, int version, long tmst, long hz, DataRate dr, byte[] phy) {
    TxPacket tx = new TxPacket(false, OptionalLong.of(tmst), hz, 0, 14,
        new LoRaDataRate(dr.spreadingFactor(), dr.bandwidthHz()), "4/5", true, true, Bytes.of(phy));
    downstream.get(gateway).accept(codec.encode(new SemtechPacket.PullResp(version, 0x1234, tx)));
  }

  /** All MAC commands a device sent. */
  List<MacCommand> macFrom(Eui64 devEui) {
    return macFromDevices.getOrDefault(devEui, List.of());
  }

  static AesKey key(String hex) {
    return AesKey.parse(hex);
  }
}

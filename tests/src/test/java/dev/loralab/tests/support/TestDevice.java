package dev.loralab.tests.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.FCnt;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.crypto.SessionKeyDerivation;
import dev.loralab.lorawan.crypto.SessionKeys10;
import dev.loralab.lorawan.crypto.SessionKeys11;
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
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * An end device in LoRaWAN 1.0.3 or 1.1 terms, built on the {@code lorawan} module's codec and
 * crypto: it makes join-requests, opens join-accepts (checking their MIC and deriving the session
 * keys), makes data uplinks and opens data downlinks (checking their MIC, decrypting FOpts and
 * FRMPayload). Not thread-safe; one test drives it.
 */
public final class TestDevice {

  private final String applicationId;
  private final String deviceId;
  private final Eui64 devEui;
  private final Eui64 joinEui;
  private final MacVersion version;
  private final AesKey appKey;
  private final AesKey nwkKey;

  private int nextDevNonce = 1;
  private DevNonce lastDevNonce;
  private DevAddr devAddr;
  // 1.0.x: fNwkSIntKey is the NwkSKey and the other two network keys are the same key.
  private AesKey fNwkSIntKey;
  private AesKey sNwkSIntKey;
  private AesKey nwkSEncKey;
  private AesKey appSKey;
  private int rx1DelaySeconds = 1;
  private long fCntUp;
  private long lastNFCntDown = -1;
  private long lastAFCntDown = -1;
  private int lastConfirmedDownFCnt = -1;

  private TestDevice(String applicationId, String deviceId, Eui64 devEui, Eui64 joinEui,
      MacVersion version, AesKey appKey, AesKey nwkKey) {
    this.applicationId = applicationId;
    this.deviceId = deviceId;
    this.devEui = devEui;
    this.joinEui = joinEui;
    this.version = version;
    this.appKey = appKey;
    this.nwkKey = nwkKey;
  }

  /** An OTAA device with root keys; in 1.0.x only the AppKey is used. */
  public static TestDevice otaa(String applicationId, String deviceId, Eui64 devEui, Eui64 joinEui,
      MacVersion version, AesKey appKey, AesKey nwkKey) {
    return new TestDevice(applicationId, deviceId, devEui, joinEui, version, appKey,
        version.is1_1() ? nwkKey : appKey);
  }

  /** An ABP device with a session; in 1.0.x {@code fNwkSIntKey} is the NwkSKey. */
  public static TestDevice abp(String applicationId, String deviceId, Eui64 devEui, MacVersion version,
      DevAddr devAddr, AesKey fNwkSIntKey, AesKey sNwkSIntKey, AesKey nwkSEncKey, AesKey appSKey) {
    TestDevice d = new TestDevice(applicationId, deviceId, devEui, new Eui64(0), version, null, null);
    d.devAddr = devAddr;
    d.fNwkSIntKey = fNwkSIntKey;
    d.sNwkSIntKey = version.is1_1() ? sNwkSIntKey : fNwkSIntKey;
    d.nwkSEncKey = version.is1_1() ? nwkSEncKey : fNwkSIntKey;
    d.appSKey = appSKey;
    return d;
  }

  public String applicationId() {
    return applicationId;
  }

  public String deviceId() {
    return deviceId;
  }

  public Eui64 devEui() {
    return devEui;
  }

  public Eui64 joinEui() {
    return joinEui;
  }

  public MacVersion version() {
    return version;
  }

  /** The DevAddr of the current session (null before a join). */
  public DevAddr devAddr() {
    return devAddr;
  }

  public AesKey appSKey() {
    return appSKey;
  }

  /**
   * Provisions an ABP device with another RX1 delay ({@code mac_settings.rx1_delay}): a longer
   * delay leaves a loaded network server more time to schedule the downlink.
   */
  public TestDevice withRx1Delay(int seconds) {
    if (appKey != null) {
      throw new IllegalStateException("OTAA devices get their RX1 delay from the join-accept");
    }
    rx1DelaySeconds = seconds;
    return this;
  }

  /** The RX1 delay of the session: the join-accept's RxDelay (0 means 1 s); for ABP as provisioned. */
  public int rx1DelaySeconds() {
    return rx1DelaySeconds;
  }

  /** The next FCntUp. */
  public long fCntUp() {
    return fCntUp;
  }

  /** The DevNonce of the last join-request. */
  public DevNonce lastDevNonce() {
    return lastDevNonce;
  }

  /**
   * The {@code end_device} registration object: identifiers, version, plan, and root keys (OTAA)
   * or session (ABP).
   */
  public ObjectNode registration(String frequencyPlanId) {
    ObjectNode dev = HttpApi.object();
    ObjectNode ids = dev.putObject("ids");
    ids.put("device_id", deviceId);
    ids.putObject("application_ids").put("application_id", applicationId);
    ids.put("dev_eui", devEui.toString());
    ids.put("join_eui", joinEui.toString());
    dev.put("lorawan_version", version.is1_1() ? "MAC_V1_1" : "MAC_V1_0_3");
    dev.put("lorawan_phy_version", version.is1_1() ? "RP001_V1_1_REV_B" : "RP001_V1_0_3_REV_A");
    dev.put("frequency_plan_id", frequencyPlanId);
    if (appKey != null) {
      dev.put("supports_join", true);
      ObjectNode root = dev.putObject("root_keys");
      root.putObject("app_key").put("key", appKey.toHex());
      if (version.is1_1()) {
        root.putObject("nwk_key").put("key", nwkKey.toHex());
      }
    } else {
      dev.put("supports_join", false);
      if (rx1DelaySeconds != 1) {
        dev.putObject("mac_settings").put("rx1_delay", rx1DelaySeconds).put("use_rx1_delay", true);
      }
      ObjectNode session = dev.putObject("session");
      session.put("dev_addr", devAddr.toString());
      ObjectNode keys = session.putObject("keys");
      keys.putObject("app_s_key").put("key", appSKey.toHex());
      keys.putObject("f_nwk_s_int_key").put("key", fNwkSIntKey.toHex());
      if (version.is1_1()) {
        keys.putObject("s_nwk_s_int_key").put("key", sNwkSIntKey.toHex());
        keys.putObject("nwk_s_enc_key").put("key", nwkSEncKey.toHex());
      }
    }
    return dev;
  }

  // ---- join -----------------------------------------------------------------------------------

  /** A join-request with the next DevNonce, signed with the AppKey (1.0.x) or NwkKey (1.1). */
  public byte[] joinRequest() {
    return joinRequest(version.is1_1() ? nwkKey : appKey);
  }

  /** A join-request with the next DevNonce, signed with {@code key} (e.g. a wrong key). */
  public byte[] joinRequest(AesKey key) {
    lastDevNonce = new DevNonce(nextDevNonce++);
    return joinRequestWith(lastDevNonce, key);
  }

  /** A join-request with a given DevNonce (e.g. a replayed one), signed with the right key. */
  public byte[] joinRequestWith(DevNonce devNonce) {
    lastDevNonce = devNonce;
    return joinRequestWith(devNonce, version.is1_1() ? nwkKey : appKey);
  }

  private byte[] joinRequestWith(DevNonce devNonce, AesKey key) {
    JoinRequest unsigned = new JoinRequest(joinEui, devEui, devNonce, new Mic(0));
    Mic mic = Mics.joinRequestMic(key, PhyPayloadCodec.encodeWithoutMic(unsigned));
    return PhyPayloadCodec.encode(unsigned.withMic(mic));
  }

  /**
   * Opens a join-accept answering the last join-request: decrypts it with the AppKey (1.0.x) or
   * NwkKey (1.1), checks its MIC, derives the session keys and starts the session.
   *
   * @throws AssertionError if it is not a join-accept or its MIC is wrong
   */
  public JoinAccept acceptJoin(byte[] phy) {
    PhyPayload p = PhyPayloadCodec.decode(phy);
    if (!(p instanceof EncryptedJoinAccept eja)) {
      throw new AssertionError("expected a join-accept, found " + p.mType());
    }
    AesKey key = version.is1_1() ? nwkKey : appKey;
    byte[] body = PayloadCipher.joinAcceptDecrypt(key, eja.encrypted().toArray());
    byte[] clear = new byte[1 + body.length];
    clear[0] = phy[0];
    System.arraycopy(body, 0, clear, 1, body.length);
    JoinAccept ja = PhyPayloadCodec.decodeJoinAccept(clear);
    byte[] micInput = Arrays.copyOf(clear, clear.length - Mic.SIZE);
    boolean optNeg = ja.dlSettings().optNeg();
    Mic expected;
    if (version.is1_1() && optNeg) {
      expected = Mics.joinAcceptMic11(SessionKeyDerivation.jsIntKey(nwkKey, devEui), 0xFF, joinEui,
          lastDevNonce, micInput);
    } else {
      expected = Mics.joinAcceptMic10(key, micInput);
    }
    if (!Mics.equalsConstantTime(expected, ja.mic())) {
      throw new AssertionError("join-accept MIC " + ja.mic() + ", expected " + expected);
    }
    if (version.is1_1() != optNeg) {
      throw new AssertionError("join-accept OptNeg " + optNeg + " for a LoRaWAN " + version + " device");
    }
    if (optNeg) {
      SessionKeys11 k = SessionKeyDerivation.derive11(nwkKey, appKey, ja.joinNonce(), joinEui, lastDevNonce);
      fNwkSIntKey = k.fNwkSIntKey();
      sNwkSIntKey = k.sNwkSIntKey();
      nwkSEncKey = k.nwkSEncKey();
      appSKey = k.appSKey();
    } else {
      SessionKeys10 k = SessionKeyDerivation.derive10(appKey, ja.joinNonce(), ja.netId(), lastDevNonce);
      fNwkSIntKey = k.nwkSKey();
      sNwkSIntKey = k.nwkSKey();
      nwkSEncKey = k.nwkSKey();
      appSKey = k.appSKey();
    }
    devAddr = ja.devAddr();
    rx1DelaySeconds = Math.max(1, ja.rxDelay());
    fCntUp = 0;
    lastNFCntDown = -1;
    lastAFCntDown = -1;
    lastConfirmedDownFCnt = -1;
    return ja;
  }

  // ---- data -----------------------------------------------------------------------------------

  /**
   * What the device puts in one data uplink.
   *
   * @param fPort 1..255 for application data, or empty
   * @param payload FRMPayload in clear (empty without an FPort)
   * @param confirmed confirmed data up
   * @param adr the ADR bit
   * @param ack acknowledge the last confirmed downlink
   * @param fOpts MAC commands for FOpts (at most 15 bytes encoded)
   */
  public record Uplink(OptionalInt fPort, byte[] payload, boolean confirmed, boolean adr, boolean ack,
      List<MacCommand> fOpts) {

    /** Unconfirmed application data on {@code fPort}. */
    public static Uplink data(int fPort, byte... payload) {
      return new Uplink(OptionalInt.of(fPort), payload, false, false, false, List.of());
    }

    public Uplink confirmed(boolean v) {
      return new Uplink(fPort, payload, v, adr, ack, fOpts);
    }

    public Uplink adr(boolean v) {
      return new Uplink(fPort, payload, confirmed, v, ack, fOpts);
    }

    public Uplink ack(boolean v) {
      return new Uplink(fPort, payload, confirmed, adr, v, fOpts);
    }

    public Uplink withFOpts(List<MacCommand> commands) {
      return new Uplink(fPort, payload, confirmed, adr, ack, List.copyOf(commands));
    }
  }

  /** Encodes the next data uplink (FCntUp increments), as sent at {@code radio}. */
  public byte[] uplink(Uplink u, Radio radio) {
    long fCnt = fCntUp++;
    return encodeUplink(u, radio, fCnt);
  }

  /** Encodes a data uplink with a given FCntUp (e.g. a replay), leaving the counter alone. */
  public byte[] encodeUplink(Uplink u, Radio radio, long fCnt) {
    if (devAddr == null) {
      throw new AssertionError("device " + deviceId + " has no session");
    }
    byte[] fOpts = MacCommandCodec.encode(u.fOpts());
    if (version.is1_1() && fOpts.length > 0) {
      fOpts = PayloadCipher.fOpts11(nwkSEncKey, true, devAddr, fCnt, true, fOpts);
    }
    Bytes frm = Bytes.EMPTY;
    if (u.fPort().isPresent()) {
      AesKey k = u.fPort().getAsInt() == 0 ? nwkSEncKey : appSKey;
      frm = Bytes.of(PayloadCipher.frmPayload(k, true, devAddr, fCnt, u.payload()));
    }
    FHdr fhdr = new FHdr(devAddr, new FCtrl.Uplink(u.adr(), false, u.ack(), false), (int) (fCnt & 0xFFFF),
        Bytes.of(fOpts));
    DataFrame unsigned = new DataFrame(MType.data(true, u.confirmed()), fhdr, u.fPort(), frm, new Mic(0));
    byte[] msg = PhyPayloadCodec.encodeWithoutMic(unsigned);
    Mic mic;
    if (version.is1_1()) {
      int confFCnt = u.ack() && lastConfirmedDownFCnt >= 0 ? lastConfirmedDownFCnt & 0xFFFF : 0;
      mic = Mics.dataUplinkMic11(sNwkSIntKey, fNwkSIntKey, confFCnt, radio.dataRate(), radio.channel(),
          devAddr, fCnt, msg);
    } else {
      mic = Mics.dataUplinkMic10(fNwkSIntKey, devAddr, fCnt, msg);
    }
    return PhyPayloadCodec.encode(unsigned.withMic(mic));
  }

  /**
   * A data downlink, opened.
   *
   * @param confirmed confirmed data down
   * @param ack acknowledges the last uplink
   * @param fPending more data pending
   * @param adr the ADR bit
   * @param fCnt the reconstructed 32-bit frame counter (NFCntDown/AFCntDown in 1.1)
   * @param fPort the FPort, if any
   * @param payload the decrypted FRMPayload (application data), empty for MAC-only frames
   * @param macCommands MAC commands from FOpts (decrypted in 1.1) or from an FPort 0 payload
   */
  public record Downlink(boolean confirmed, boolean ack, boolean fPending, boolean adr, long fCnt,
      OptionalInt fPort, byte[] payload, List<MacCommand> macCommands) {

    /** The MAC commands of a type. */
    public <T extends MacCommand> List<T> commands(Class<T> type) {
      return macCommands.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  /**
   * What a compliant device answers to the network's MAC requests in a downlink: every request
   * accepted; DevStatusAns with {@code battery} and {@code margin}.
   */
  public static List<MacCommand> answers(Downlink down, int battery, int margin) {
    List<MacCommand> out = new java.util.ArrayList<>();
    boolean linkAdrAnswered = false;
    for (MacCommand c : down.macCommands()) {
      if (c instanceof MacCommand.LinkADRReq) {
        // one LinkADRAns answers a contiguous block of LinkADRReq (LoRaWAN 1.0.4 §5.3)
        if (!linkAdrAnswered) {
          out.add(new MacCommand.LinkADRAns(true, true, true));
          linkAdrAnswered = true;
        }
      } else if (c instanceof MacCommand.DevStatusReq) {
        out.add(new MacCommand.DevStatusAns(battery, margin));
      } else if (c instanceof MacCommand.DutyCycleReq) {
        out.add(new MacCommand.DutyCycleAns());
      } else if (c instanceof MacCommand.RXParamSetupReq) {
        out.add(new MacCommand.RXParamSetupAns(true, true, true));
      } else if (c instanceof MacCommand.NewChannelReq) {
        out.add(new MacCommand.NewChannelAns(true, true));
      } else if (c instanceof MacCommand.RXTimingSetupReq) {
        out.add(new MacCommand.RXTimingSetupAns());
      } else if (c instanceof MacCommand.TxParamSetupReq) {
        out.add(new MacCommand.TxParamSetupAns());
      } else if (c instanceof MacCommand.DlChannelReq) {
        out.add(new MacCommand.DlChannelAns(true, true));
      } else if (c instanceof MacCommand.ADRParamSetupReq) {
        out.add(new MacCommand.ADRParamSetupAns());
      } else if (c instanceof MacCommand.RejoinParamSetupReq) {
        out.add(new MacCommand.RejoinParamSetupAns(true));
      }
    }
    return out;
  }

  /**
   * Applies accepted RXTimingSetupReq to this device's RX1 delay (the other settings do not
   * change what the tests check).
   */
  public void apply(Downlink down) {
    for (MacCommand.RXTimingSetupReq r : down.commands(MacCommand.RXTimingSetupReq.class)) {
      rx1DelaySeconds = Math.max(1, r.delay());
    }
  }

  /**
   * Opens a data downlink for this device: checks DevAddr and MIC, decrypts FOpts (1.1) and
   * FRMPayload.
   *
   * @param ackedUplinkFCnt 1.1: the FCntUp of the confirmed uplink this downlink may acknowledge
   * @throws AssertionError if it is not a data downlink for this device or the MIC is wrong
   */
  public Downlink openDownlink(byte[] phy, long ackedUplinkFCnt) {
    PhyPayload p = PhyPayloadCodec.decode(phy);
    if (!(p instanceof DataFrame f) || f.uplink()) {
      throw new AssertionError("expected a data downlink, found " + p.mType());
    }
    if (!f.devAddr().equals(devAddr)) {
      throw new AssertionError("downlink for " + f.devAddr() + ", device has " + devAddr);
    }
    FCtrl.Downlink fctrl = (FCtrl.Downlink) f.fHdr().fCtrl();
    boolean app = f.fPort().isPresent() && f.fPort().getAsInt() > 0;
    long fCnt32;
    if (version.is1_1() && app) {
      fCnt32 = lastAFCntDown < 0 ? f.fCnt() : FCnt.reconstruct(lastAFCntDown, f.fCnt());
    } else {
      fCnt32 = lastNFCntDown < 0 ? f.fCnt() : FCnt.reconstruct(lastNFCntDown, f.fCnt());
    }
    byte[] msg = Arrays.copyOf(phy, phy.length - Mic.SIZE);
    int confFCnt = version.is1_1() && fctrl.ack() ? (int) (ackedUplinkFCnt & 0xFFFF) : 0;
    Mic expected = Mics.dataDownlinkMic(sNwkSIntKey, devAddr, fCnt32, confFCnt, msg);
    if (!Mics.equalsConstantTime(expected, f.mic())) {
      throw new AssertionError("downlink MIC " + f.mic() + ", expected " + expected + " (FCnt " + fCnt32 + ")");
    }
    byte[] fOpts = f.fHdr().fOpts().toArray();
    if (version.is1_1() && fOpts.length > 0) {
      fOpts = PayloadCipher.fOpts11(nwkSEncKey, false, devAddr, fCnt32, !app, fOpts);
    }
    List<MacCommand> mac = new java.util.ArrayList<>(MacCommandCodec.decode(fOpts, false));
    byte[] payload = new byte[0];
    if (f.fPort().isPresent()) {
      AesKey k = app ? appSKey : nwkSEncKey;
      byte[] clear = PayloadCipher.frmPayload(k, false, devAddr, fCnt32, f.frmPayload().toArray());
      if (app) {
        payload = clear;
      } else {
        mac.addAll(MacCommandCodec.decode(clear, false));
      }
    }
    if (version.is1_1() && app) {
      lastAFCntDown = fCnt32;
    } else {
      lastNFCntDown = fCnt32;
    }
    if (f.confirmed()) {
      lastConfirmedDownFCnt = (int) fCnt32;
    }
    return new Downlink(f.confirmed(), fctrl.ack(), fctrl.fPending(), fctrl.adr(), fCnt32, f.fPort(), payload,
        List.copyOf(mac));
  }
}

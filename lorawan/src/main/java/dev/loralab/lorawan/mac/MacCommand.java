package dev.loralab.lorawan.mac;

import dev.loralab.lorawan.internal.FrequencyField;

/**
 * A MAC command of LoRaWAN 1.0.x (up to 1.0.4) or 1.1, as a typed record per command and
 * direction (LoRaWAN 1.1 §5, Table 4; Class B §14; Class C §18). "Uplink" commands are sent by
 * the end device, the others by the network. RFU bits are not represented: they are written
 * as 0 and ignored on receipt. Encode and decode lists with {@link MacCommandCodec}.
 */
public sealed interface MacCommand {

  /** The command identifier. */
  int cid();

  /** True if the end device sends this command. */
  boolean uplink();

  /** The command name as in the specification, e.g. {@code "LinkADRReq"}. */
  default String name() {
    return getClass().getSimpleName();
  }

  /**
   * Device to network, ABP only: the device's LoRaWAN minor version (1 = 1.1) (1.1 §5.1).
   *
   * @param minor minor version, bits 3..0
   */
  record ResetInd(int minor) implements MacCommand {
    /** The CID, 0x01. */
    public static final int CID = 0x01;

    /** Validates the field ranges. */
    public ResetInd {
      FieldRange.check(minor, 0, 15, "ResetInd.minor");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device: the server's minor version, which must equal the device's (1.1 §5.1).
   *
   * @param minor minor version, bits 3..0
   */
  record ResetConf(int minor) implements MacCommand {
    /** The CID, 0x01. */
    public static final int CID = 0x01;

    /** Validates the field ranges. */
    public ResetConf {
      FieldRange.check(minor, 0, 15, "ResetConf.minor");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Device to network: asks for a connectivity check (1.1 §5.2).
   */
  record LinkCheckReq() implements MacCommand {
    /** The CID, 0x02. */
    public static final int CID = 0x02;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device: demodulation margin and gateway count of the last LinkCheckReq (1.1 §5.2).
   *
   * @param margin dB above the demodulation floor (255 is RFU)
   * @param gwCnt number of gateways that received the request
   */
  record LinkCheckAns(int margin, int gwCnt) implements MacCommand {
    /** The CID, 0x02. */
    public static final int CID = 0x02;

    /** Validates the field ranges. */
    public LinkCheckAns {
      FieldRange.check(margin, 0, 255, "LinkCheckAns.margin");
      FieldRange.check(gwCnt, 0, 255, "LinkCheckAns.gwCnt");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Network to device: data rate, TX power, channel mask and repetitions (1.1 §5.3). 15 in DataRate or TXPower means "keep current" (1.0.4, 1.1).
   *
   * @param dataRate DataRate, bits 7..4 of byte 0
   * @param txPower TXPower, bits 3..0 of byte 0
   * @param chMask ChMask, 16 bits, bit 0 = first channel of the block
   * @param chMaskCntl ChMaskCntl, bits 6..4 of Redundancy
   * @param nbTrans NbTrans, bits 3..0 of Redundancy; 0 keeps the current value
   */
  record LinkADRReq(int dataRate, int txPower, int chMask, int chMaskCntl, int nbTrans) implements MacCommand {
    /** The CID, 0x03. */
    public static final int CID = 0x03;

    /** Validates the field ranges. */
    public LinkADRReq {
      FieldRange.check(dataRate, 0, 15, "LinkADRReq.dataRate");
      FieldRange.check(txPower, 0, 15, "LinkADRReq.txPower");
      FieldRange.check(chMask, 0, 0xffff, "LinkADRReq.chMask");
      FieldRange.check(chMaskCntl, 0, 7, "LinkADRReq.chMaskCntl");
      FieldRange.check(nbTrans, 0, 15, "LinkADRReq.nbTrans");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Device to network: acknowledgement of a LinkADRReq block (1.1 §5.3).
   *
   * @param powerAck bit 2
   * @param dataRateAck bit 1
   * @param channelMaskAck bit 0
   */
  record LinkADRAns(boolean powerAck, boolean dataRateAck, boolean channelMaskAck) implements MacCommand {
    /** The CID, 0x03. */
    public static final int CID = 0x03;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device: maximum aggregated duty cycle 1/2^MaxDCycle, 0 = no limit (1.1 §5.4).
   *
   * @param maxDutyCycle MaxDCycle, bits 3..0
   */
  record DutyCycleReq(int maxDutyCycle) implements MacCommand {
    /** The CID, 0x04. */
    public static final int CID = 0x04;

    /** Validates the field ranges. */
    public DutyCycleReq {
      FieldRange.check(maxDutyCycle, 0, 15, "DutyCycleReq.maxDutyCycle");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Device to network: acknowledges a DutyCycleReq (1.1 §5.4).
   */
  record DutyCycleAns() implements MacCommand {
    /** The CID, 0x04. */
    public static final int CID = 0x04;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device: RX1 data-rate offset, RX2 data rate and RX2 frequency (1.1 §5.5).
   *
   * @param rx1DrOffset RX1DRoffset, bits 6..4 of DLsettings
   * @param rx2DataRate RX2DataRate, bits 3..0 of DLsettings
   * @param frequencyHz RX2 frequency in Hz, a multiple of 100
   */
  record RXParamSetupReq(int rx1DrOffset, int rx2DataRate, long frequencyHz) implements MacCommand {
    /** The CID, 0x05. */
    public static final int CID = 0x05;

    /** Validates the field ranges. */
    public RXParamSetupReq {
      FieldRange.check(rx1DrOffset, 0, 7, "RXParamSetupReq.rx1DrOffset");
      FieldRange.check(rx2DataRate, 0, 15, "RXParamSetupReq.rx2DataRate");
      FrequencyField.check(frequencyHz, "RXParamSetupReq.frequencyHz");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Device to network: status of an RXParamSetupReq (1.1 §5.5).
   *
   * @param rx1DrOffsetAck bit 2
   * @param rx2DataRateAck bit 1
   * @param channelAck bit 0
   */
  record RXParamSetupAns(boolean rx1DrOffsetAck, boolean rx2DataRateAck, boolean channelAck) implements MacCommand {
    /** The CID, 0x05. */
    public static final int CID = 0x05;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device: asks for battery level and demodulation margin (1.1 §5.6).
   */
  record DevStatusReq() implements MacCommand {
    /** The CID, 0x06. */
    public static final int CID = 0x06;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Device to network: battery level and SNR margin of the last DevStatusReq (1.1 §5.6).
   *
   * @param battery 0 external power, 1..254 level, 255 unknown
   * @param margin SNR in dB, 6-bit signed
   */
  record DevStatusAns(int battery, int margin) implements MacCommand {
    /** The CID, 0x06. */
    public static final int CID = 0x06;

    /** Validates the field ranges. */
    public DevStatusAns {
      FieldRange.check(battery, 0, 255, "DevStatusAns.battery");
      FieldRange.check(margin, -32, 31, "DevStatusAns.margin");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device: creates, modifies or (frequency 0) disables a channel (1.1 §5.7).
   *
   * @param chIndex ChIndex
   * @param frequencyHz frequency in Hz, a multiple of 100; 0 disables
   * @param maxDr MaxDR, bits 7..4 of DrRange
   * @param minDr MinDR, bits 3..0 of DrRange
   */
  record NewChannelReq(int chIndex, long frequencyHz, int maxDr, int minDr) implements MacCommand {
    /** The CID, 0x07. */
    public static final int CID = 0x07;

    /** Validates the field ranges. */
    public NewChannelReq {
      FieldRange.check(chIndex, 0, 255, "NewChannelReq.chIndex");
      FrequencyField.check(frequencyHz, "NewChannelReq.frequencyHz");
      FieldRange.check(maxDr, 0, 15, "NewChannelReq.maxDr");
      FieldRange.check(minDr, 0, 15, "NewChannelReq.minDr");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Device to network: status of a NewChannelReq (1.1 §5.7).
   *
   * @param dataRateRangeOk bit 1
   * @param channelFrequencyOk bit 0
   */
  record NewChannelAns(boolean dataRateRangeOk, boolean channelFrequencyOk) implements MacCommand {
    /** The CID, 0x07. */
    public static final int CID = 0x07;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device: delay of RX1 after the end of the uplink (1.1 §5.8).
   *
   * @param delay Del, seconds (0 and 1 both mean 1 s)
   */
  record RXTimingSetupReq(int delay) implements MacCommand {
    /** The CID, 0x08. */
    public static final int CID = 0x08;

    /** Validates the field ranges. */
    public RXTimingSetupReq {
      FieldRange.check(delay, 0, 15, "RXTimingSetupReq.delay");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Device to network: acknowledges an RXTimingSetupReq (1.1 §5.8).
   */
  record RXTimingSetupAns() implements MacCommand {
    /** The CID, 0x08. */
    public static final int CID = 0x08;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device: dwell times and maximum EIRP (1.0.2+, 1.1 §5.9).
   *
   * @param downlinkDwellTime bit 5: 400 ms limit on downlinks
   * @param uplinkDwellTime bit 4: 400 ms limit on uplinks
   * @param maxEirp MaxEIRP index, bits 3..0 (8..36 dBm)
   */
  record TxParamSetupReq(boolean downlinkDwellTime, boolean uplinkDwellTime, int maxEirp) implements MacCommand {
    /** The CID, 0x09. */
    public static final int CID = 0x09;

    /** Validates the field ranges. */
    public TxParamSetupReq {
      FieldRange.check(maxEirp, 0, 15, "TxParamSetupReq.maxEirp");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Device to network: acknowledges a TxParamSetupReq (1.1 §5.9).
   */
  record TxParamSetupAns() implements MacCommand {
    /** The CID, 0x09. */
    public static final int CID = 0x09;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device: sets the RX1 downlink frequency of a channel (1.0.2+, 1.1 §5.10).
   *
   * @param chIndex ChIndex
   * @param frequencyHz downlink frequency in Hz, a multiple of 100
   */
  record DlChannelReq(int chIndex, long frequencyHz) implements MacCommand {
    /** The CID, 0x0A. */
    public static final int CID = 0x0A;

    /** Validates the field ranges. */
    public DlChannelReq {
      FieldRange.check(chIndex, 0, 255, "DlChannelReq.chIndex");
      FrequencyField.check(frequencyHz, "DlChannelReq.frequencyHz");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Device to network: status of a DlChannelReq (1.1 §5.10).
   *
   * @param uplinkFrequencyExists bit 1
   * @param channelFrequencyOk bit 0
   */
  record DlChannelAns(boolean uplinkFrequencyExists, boolean channelFrequencyOk) implements MacCommand {
    /** The CID, 0x0A. */
    public static final int CID = 0x0A;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Device to network, OTAA 1.1 only: confirms the session keys; carries the device's minor version (1.1 §5.10).
   *
   * @param minor minor version, bits 3..0
   */
  record RekeyInd(int minor) implements MacCommand {
    /** The CID, 0x0B. */
    public static final int CID = 0x0B;

    /** Validates the field ranges. */
    public RekeyInd {
      FieldRange.check(minor, 0, 15, "RekeyInd.minor");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device: answer to RekeyInd with the server's minor version (1.1 §5.10).
   *
   * @param minor minor version, bits 3..0
   */
  record RekeyConf(int minor) implements MacCommand {
    /** The CID, 0x0B. */
    public static final int CID = 0x0B;

    /** Validates the field ranges. */
    public RekeyConf {
      FieldRange.check(minor, 0, 15, "RekeyConf.minor");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Network to device: ADR_ACK_LIMIT = 2^Limit_exp and ADR_ACK_DELAY = 2^Delay_exp (1.1 §5.11).
   *
   * @param limitExp Limit_exp, bits 7..4
   * @param delayExp Delay_exp, bits 3..0
   */
  record ADRParamSetupReq(int limitExp, int delayExp) implements MacCommand {
    /** The CID, 0x0C. */
    public static final int CID = 0x0C;

    /** Validates the field ranges. */
    public ADRParamSetupReq {
      FieldRange.check(limitExp, 0, 15, "ADRParamSetupReq.limitExp");
      FieldRange.check(delayExp, 0, 15, "ADRParamSetupReq.delayExp");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Device to network: acknowledges an ADRParamSetupReq (1.1 §5.11).
   */
  record ADRParamSetupAns() implements MacCommand {
    /** The CID, 0x0C. */
    public static final int CID = 0x0C;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Device to network: asks for the network time (1.0.3+, 1.1 §5.12).
   */
  record DeviceTimeReq() implements MacCommand {
    /** The CID, 0x0D. */
    public static final int CID = 0x0D;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device: GPS time at the end of the uplink that carried DeviceTimeReq (1.1 §5.12).
   *
   * @param gpsSeconds seconds since the GPS epoch, 32 bits
   * @param fractionalSecond fraction of a second in 1/256 s steps
   */
  record DeviceTimeAns(long gpsSeconds, int fractionalSecond) implements MacCommand {
    /** The CID, 0x0D. */
    public static final int CID = 0x0D;

    /** Validates the field ranges. */
    public DeviceTimeAns {
      FieldRange.check(gpsSeconds, 0L, 0xffffffffL, "DeviceTimeAns.gpsSeconds");
      FieldRange.check(fractionalSecond, 0, 255, "DeviceTimeAns.fractionalSecond");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Network to device: asks for an immediate rejoin-request (1.1 §5.13). No answer.
   *
   * @param period Period, bits 13..11; delay 32 s * 2^Period + 0..32 s
   * @param maxRetries Max_Retries, bits 10..8
   * @param rejoinType RejoinType, bits 6..4 (0 or 1: type 0; 2: type 2; 3..7 RFU)
   * @param dataRate DR, bits 3..0
   */
  record ForceRejoinReq(int period, int maxRetries, int rejoinType, int dataRate) implements MacCommand {
    /** The CID, 0x0E. */
    public static final int CID = 0x0E;

    /** Validates the field ranges. */
    public ForceRejoinReq {
      FieldRange.check(period, 0, 7, "ForceRejoinReq.period");
      FieldRange.check(maxRetries, 0, 7, "ForceRejoinReq.maxRetries");
      FieldRange.check(rejoinType, 0, 7, "ForceRejoinReq.rejoinType");
      FieldRange.check(dataRate, 0, 15, "ForceRejoinReq.dataRate");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Network to device: periodic type-0 rejoin at least every 2^(MaxCountN+4) uplinks or 2^(MaxTimeN+10) s (1.1 §5.14).
   *
   * @param maxTimeN MaxTimeN, bits 7..4
   * @param maxCountN MaxCountN, bits 3..0
   */
  record RejoinParamSetupReq(int maxTimeN, int maxCountN) implements MacCommand {
    /** The CID, 0x0F. */
    public static final int CID = 0x0F;

    /** Validates the field ranges. */
    public RejoinParamSetupReq {
      FieldRange.check(maxTimeN, 0, 15, "RejoinParamSetupReq.maxTimeN");
      FieldRange.check(maxCountN, 0, 15, "RejoinParamSetupReq.maxCountN");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Device to network: status of a RejoinParamSetupReq (1.1 §5.14).
   *
   * @param timeOk bit 0
   */
  record RejoinParamSetupAns(boolean timeOk) implements MacCommand {
    /** The CID, 0x0F. */
    public static final int CID = 0x0F;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Device to network, Class B: ping-slot periodicity, period 0.96 * 2^Periodicity s (1.1 §14.1).
   * The 1.0.2 experimental layout ({@code 6..4 Periodicity, 3..0 DataRate}) is not supported.
   *
   * @param periodicity Periodicity, bits 2..0
   */
  record PingSlotInfoReq(int periodicity) implements MacCommand {
    /** The CID, 0x10. */
    public static final int CID = 0x10;

    /** Validates the field ranges. */
    public PingSlotInfoReq {
      FieldRange.check(periodicity, 0, 7, "PingSlotInfoReq.periodicity");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device, Class B: acknowledges a PingSlotInfoReq (1.1 §14.1).
   */
  record PingSlotInfoAns() implements MacCommand {
    /** The CID, 0x10. */
    public static final int CID = 0x10;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Network to device, Class B: ping-slot frequency (0 = default) and data rate (1.1 §14.3).
   * In 1.0.2 the last byte is a DrRange; only its bits 3..0 are read here.
   *
   * @param frequencyHz frequency in Hz, a multiple of 100; 0 = regional default
   * @param dataRate DR, bits 3..0
   */
  record PingSlotChannelReq(long frequencyHz, int dataRate) implements MacCommand {
    /** The CID, 0x11. */
    public static final int CID = 0x11;

    /** Validates the field ranges. */
    public PingSlotChannelReq {
      FrequencyField.check(frequencyHz, "PingSlotChannelReq.frequencyHz");
      FieldRange.check(dataRate, 0, 15, "PingSlotChannelReq.dataRate");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Device to network, Class B: status of a PingSlotChannelReq (1.1 §14.3).
   *
   * @param dataRateOk bit 1
   * @param channelFrequencyOk bit 0
   */
  record PingSlotChannelAns(boolean dataRateOk, boolean channelFrequencyOk) implements MacCommand {
    /** The CID, 0x11. */
    public static final int CID = 0x11;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Device to network, Class B 1.0.x: asks for the next beacon timing. Deprecated in 1.1 in favour of DeviceTimeReq (1.1 §14.4).
   */
  record BeaconTimingReq() implements MacCommand {
    /** The CID, 0x12. */
    public static final int CID = 0x12;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device, Class B 1.0.x: time to the next beacon in 30 ms units and its channel (deprecated in 1.1).
   *
   * @param delay Delay, 16 bits
   * @param channel Channel
   */
  record BeaconTimingAns(int delay, int channel) implements MacCommand {
    /** The CID, 0x12. */
    public static final int CID = 0x12;

    /** Validates the field ranges. */
    public BeaconTimingAns {
      FieldRange.check(delay, 0, 0xffff, "BeaconTimingAns.delay");
      FieldRange.check(channel, 0, 255, "BeaconTimingAns.channel");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Network to device, Class B: beacon frequency (0 = default plan) (1.1 §14.2).
   *
   * @param frequencyHz frequency in Hz, a multiple of 100; 0 = regional default
   */
  record BeaconFreqReq(long frequencyHz) implements MacCommand {
    /** The CID, 0x13. */
    public static final int CID = 0x13;

    /** Validates the field ranges. */
    public BeaconFreqReq {
      FrequencyField.check(frequencyHz, "BeaconFreqReq.frequencyHz");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }

  /**
   * Device to network, Class B: status of a BeaconFreqReq (1.1 §14.2).
   *
   * @param beaconFrequencyOk bit 0
   */
  record BeaconFreqAns(boolean beaconFrequencyOk) implements MacCommand {
    /** The CID, 0x13. */
    public static final int CID = 0x13;

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Device to network, 1.1 Class C: the class the device switches to (0 A, 2 C; 1 RFU) (1.1 §18.1).
   *
   * @param deviceClass Class byte
   */
  record DeviceModeInd(int deviceClass) implements MacCommand {
    /** The CID, 0x20. */
    public static final int CID = 0x20;

    /** Validates the field ranges. */
    public DeviceModeInd {
      FieldRange.check(deviceClass, 0, 255, "DeviceModeInd.deviceClass");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return true;
    }
  }

  /**
   * Network to device: confirms a DeviceModeInd with the same Class (1.1 §18.1).
   *
   * @param deviceClass Class byte
   */
  record DeviceModeConf(int deviceClass) implements MacCommand {
    /** The CID, 0x20. */
    public static final int CID = 0x20;

    /** Validates the field ranges. */
    public DeviceModeConf {
      FieldRange.check(deviceClass, 0, 255, "DeviceModeConf.deviceClass");
    }

    @Override
    public int cid() {
      return CID;
    }

    @Override
    public boolean uplink() {
      return false;
    }
  }
}

package dev.loralab.networkserver.adr;

import dev.loralab.api.v3.MACState.UplinkQuality;
import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.DataRate;
import java.util.List;
import java.util.Optional;

/**
 * Margin-based ADR: from the highest SNR of the recent uplinks, subtract the SNR the current
 * spreading factor needs and an installation margin; each 3 dB left raises the data rate (up to
 * the band's ADR maximum), then lowers the TX power; a negative margin raises the TX power again.
 * NbTrans follows the frame loss seen in the frame counters of the same uplinks, not counting
 * the uplinks the Network Server shed itself (see {@code nbTrans}). Pure function.
 */
public final class MarginAdr {

  /** dB per ADR step. */
  static final double STEP_DB = 3;

  private final double marginDb;
  private final int history;

  /**
   * @param marginDb installation margin in dB (e.g. 15)
   * @param history uplinks needed before deciding (e.g. 20)
   */
  public MarginAdr(double marginDb, int history) {
    this.marginDb = marginDb;
    this.history = history;
  }

  /** Demodulation floor (required SNR, dB) of a LoRa spreading factor (SX127x datasheet). */
  public static double requiredSnrDb(int spreadingFactor) {
    return switch (spreadingFactor) {
      case 5 -> -2.5;
      case 6 -> -5;
      case 7 -> -7.5;
      case 8 -> -10;
      case 9 -> -12.5;
      case 10 -> -15;
      case 11 -> -17.5;
      default -> -20;
    };
  }

  /** The SNR margin of an uplink at {@code dataRate}: SNR minus the demodulation floor. */
  public static double snrMarginDb(Band band, int dataRate, double snr) {
    DataRate dr = band.dataRates().get(dataRate);
    if (dr == null || dr.modulation() != DataRate.Modulation.LORA) {
      return snr;
    }
    return snr - requiredSnrDb(dr.spreadingFactor());
  }

  /**
   * The new settings, or empty if there are too few uplinks or the data rate is not LoRa.
   *
   * @param recent recent uplinks, oldest first
   * @param currentTxPowerIndex the TX power index the device uses now
   */
  public Optional<AdrDecision> decide(List<UplinkQuality> recent, Band band,
      int currentTxPowerIndex) {
    if (recent.size() < history) {
      return Optional.empty();
    }
    List<UplinkQuality> window = recent.subList(recent.size() - history, recent.size());
    UplinkQuality last = window.get(window.size() - 1);
    int dr = last.getDataRateIndex();
    DataRate modulation = band.dataRates().get(dr);
    if (modulation == null || modulation.modulation() != DataRate.Modulation.LORA) {
      return Optional.empty();
    }
    double maxSnr = Double.NEGATIVE_INFINITY;
    for (UplinkQuality q : window) {
      maxSnr = Math.max(maxSnr, q.getMaxSnr());
    }
    double margin = maxSnr - requiredSnrDb(modulation.spreadingFactor()) - marginDb;
    int steps = (int) Math.floor(margin / STEP_DB);
    int maxDr = band.maxAdrDataRate();
    int maxTx = band.txPowerOffsetsDb().size() - 1;
    int tx = Math.min(Math.max(0, currentTxPowerIndex), maxTx);
    while (steps > 0 && dr < maxDr && band.dataRates().containsKey(dr + 1)
        && band.dataRates().get(dr + 1).modulation() == DataRate.Modulation.LORA) {
      dr++;
      steps--;
    }
    while (steps > 0 && tx < maxTx) {
      tx++;
      steps--;
    }
    while (steps < 0 && tx > 0) {
      tx--;
      steps++;
    }
    return Optional.of(new AdrDecision(dr, tx, nbTrans(window)));
  }

  /**
   * NbTrans from the radio loss in {@code window}: like The Things Stack and ChirpStack, the loss
   * is estimated from the gaps in the frame counters of the uplinks received. LoRaWAN's NbTrans
   * (LinkADRReq, LoRaWAN 1.0.4 §5.3 / 1.1 §5.3) is the number of transmissions of each uplink
   * frame: raising it trades airtime and battery for delivery over a lossy radio path.
   *
   * <p>Not every gap is radio loss: uplinks the Network Server shed itself while overloaded
   * ({@link UplinkQuality#getServerDroppedBefore()}, counted by DevAddr and taken by the device's
   * next processed uplink) were received, so they count as received here. Otherwise an
   * overloaded server would read its own drops as radio loss and answer with LinkADRReqs raising
   * NbTrans: more downlinks and, on the air, every uplink sent two or three times, deepening the
   * overload. The frames expected are the FCnt span of the window. An entry's credit explains
   * the gap just before it or, when a shed uplink overtook its predecessor (the predecessor was
   * still in its deduplication window), a later gap: credits fill the gaps in order and what is
   * left after the last gap counts for nothing, so a credit never hides loss before the entry it
   * was recorded with. The first entry's credit explains frames before the window and is not
   * used. Credits only ever add to the uplinks received, so they never raise NbTrans.
   */
  static int nbTrans(List<UplinkQuality> window) {
    long first = window.get(0).getFCnt() & 0xFFFF_FFFFL;
    long last = window.get(window.size() - 1).getFCnt() & 0xFFFF_FFFFL;
    long expected = last - first + 1;
    if (expected <= 0) {
      return 1;
    }
    long received = window.size();
    long credit = 0;
    long previous = first;
    for (int i = 1; i < window.size(); i++) {
      UplinkQuality q = window.get(i);
      long fCnt = q.getFCnt() & 0xFFFF_FFFFL;
      long gap = fCnt - previous - 1;
      previous = fCnt;
      credit += q.getServerDroppedBefore() & 0xFFFF_FFFFL;
      if (gap > 0 && credit > 0) {
        long used = Math.min(gap, credit);
        received += used;
        credit -= used;
      }
    }
    double loss = 1 - Math.min(1.0, (double) received / expected);
    if (loss < 0.05) {
      return 1;
    }
    if (loss < 0.10) {
      return 2;
    }
    return 3;
  }
}

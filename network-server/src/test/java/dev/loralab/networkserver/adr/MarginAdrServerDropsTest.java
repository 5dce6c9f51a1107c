package dev.loralab.networkserver.adr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.MACState.UplinkQuality;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * NbTrans and the uplinks the Network Server shed itself
 * ({@code UplinkQuality.server_dropped_before}): they explain FCnt gaps, so they are not radio
 * loss.
 */
class MarginAdrServerDropsTest {

  /** An entry with {@code fCnt} and {@code shedBefore} shed uplinks credited. */
  static UplinkQuality q(long fCnt, int shedBefore) {
    return UplinkQuality.newBuilder().setFCnt((int) fCnt).setServerDroppedBefore(shedBefore)
        .setDataRateIndex(5).setMaxSnr(5).build();
  }

  /** 20 entries, every second FCnt missing, each gap credited with {@code credit}. */
  static List<UplinkQuality> everySecondMissing(int credit) {
    List<UplinkQuality> l = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      l.add(q(1 + 2L * i, i == 0 ? 0 : credit));
    }
    return l;
  }

  @Test
  void withoutCreditEverySecondFrameMissingIsHeavyLoss() {
    // FCnt 1..39: 39 expected, 20 received, 49 % loss
    assertThat(MarginAdr.nbTrans(everySecondMissing(0))).isEqualTo(3);
  }

  @Test
  void gapsFullyExplainedByShedUplinksKeepNbTransAtOne() {
    // 19 gaps of one frame, each credited with one shed uplink: 39 of 39 received
    assertThat(MarginAdr.nbTrans(everySecondMissing(1))).isEqualTo(1);
    // and through decide (SF7, SNR 5: no data rate or power change either)
    assertThat(new MarginAdr(15, 20).decide(everySecondMissing(1),
        MarginAdrTest.EU, 0).orElseThrow().nbTrans()).isEqualTo(1);
  }

  @Test
  void gapsPartlyExplainedCountOnlyTheRest() {
    // FCnt 0, 5, 10, ..., 95: 96 expected, 20 received, 19 gaps of 4 frames
    List<UplinkQuality> l = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // 3 of each gap of 4 were shed: 20 + 19 * 3 = 77 of 96 received, 19.8 % radio loss
      l.add(q(5L * i, i == 0 ? 0 : 3));
    }
    assertThat(MarginAdr.nbTrans(l)).isEqualTo(3);
    // one frame of 40 lost on the radio (2.5 %): NbTrans stays 1
    List<UplinkQuality> few = everySecondMissing(1);
    few.set(19, q(40, 1)); // FCnt 37 -> 40: gap of 2, one credited
    assertThat(MarginAdr.nbTrans(few)).isEqualTo(1);
    // 3 frames of 42 lost on the radio (7.1 %): NbTrans 2
    few.set(19, q(42, 1)); // FCnt 37 -> 42: gap of 4, one credited
    assertThat(MarginAdr.nbTrans(few)).isEqualTo(2);
  }

  @Test
  void overCreditNeverHidesTheGapsBeforeIt() {
    // a credit of 1000 (a hash collision) on the last entry fills its own gap of 1, not the 18
    // gaps before it: 21 of 39 received
    List<UplinkQuality> l = everySecondMissing(0);
    l.set(19, q(39, 1000));
    assertThat(MarginAdr.nbTrans(l)).isEqualTo(3);
    // credits on entries without a gap count nothing
    List<UplinkQuality> consecutive = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      consecutive.add(q(i, 7));
    }
    assertThat(MarginAdr.nbTrans(consecutive)).isEqualTo(1);
    // the largest uint32 credit is not negative: it fills the gaps
    assertThat(MarginAdr.nbTrans(everySecondMissing(-1))).isEqualTo(1);
  }

  @Test
  void aCreditTakenBeforeItsGapFillsTheNextGap() {
    // FCnt 2 was shed while FCnt 1 was still in its deduplication window: FCnt 1 took the
    // credit, the gap is after it (FCnt 1 -> 3)
    List<UplinkQuality> many = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // FCnt 0, 1, 3, 4, 6, 7, ..., 28: the credit is on the entry before each gap
      long fCnt = i + i / 2;
      many.add(q(fCnt, i % 2 == 1 ? 1 : 0));
    }
    // 20 received + 9 credited of 29
    assertThat(MarginAdr.nbTrans(many)).isEqualTo(1);
    // without the credits: 20 of 29, 31 % loss
    List<UplinkQuality> uncredited = new ArrayList<>();
    many.forEach(e -> uncredited.add(e.toBuilder().setServerDroppedBefore(0).build()));
    assertThat(MarginAdr.nbTrans(uncredited)).isEqualTo(3);
  }

  @Test
  void theFirstEntrysCreditExplainsFramesBeforeTheWindow() {
    // every second frame missing and only the first entry credited (with plenty): still lossy
    List<UplinkQuality> l = everySecondMissing(0);
    l.set(0, q(1, 1000));
    assertThat(MarginAdr.nbTrans(l)).isEqualTo(3);
  }

  @Property(tries = 500)
  void creditedDropsNeverRaiseNbTrans(
      @ForAll @Size(min = 1, max = 64) List<@IntRange(min = 0, max = 6) Integer> gaps,
      @ForAll @Size(min = 1, max = 64) List<@IntRange(min = -1, max = 8) Integer> credits,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int start) {
    List<UplinkQuality> credited = new ArrayList<>();
    List<UplinkQuality> plain = new ArrayList<>();
    long fCnt = start;
    for (int i = 0; i < gaps.size(); i++) {
      fCnt += i == 0 ? 0 : gaps.get(i) + 1;
      credited.add(q(fCnt, credits.get(i % credits.size())));
      plain.add(q(fCnt, 0));
    }
    int withCredit = MarginAdr.nbTrans(credited);
    int without = MarginAdr.nbTrans(plain);
    assertThat(withCredit).isBetween(1, without);
    // crediting every gap in full means no loss at all
    List<UplinkQuality> full = new ArrayList<>();
    for (int i = 0; i < credited.size(); i++) {
      full.add(q(credited.get(i).getFCnt() & 0xFFFF_FFFFL, i == 0 ? 0 : gaps.get(i)));
    }
    assertThat(MarginAdr.nbTrans(full)).isEqualTo(1);
  }
}

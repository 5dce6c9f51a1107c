package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.internal.FrequencyField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The optional 16-byte CFList of a join-accept (LoRaWAN 1.1 §6.2.3; regional parameters):
 * 15 bytes of content followed by the CFListType byte.
 */
public sealed interface CfList {

  /** Size on the wire including the type byte. */
  int SIZE = 16;

  /** The CFListType byte. */
  int type();

  /**
   * CFListType 0: five channel frequencies (3 bytes LE each, in units of 100 Hz) for channels
   * following the default ones. A frequency of 0 means "no channel".
   *
   * @param frequenciesHz exactly five frequencies in Hz, each a multiple of 100 up to 1677721500
   */
  record Frequencies(List<Long> frequenciesHz) implements CfList {

    /** Number of frequencies. */
    public static final int COUNT = 5;

    /** Validates count and ranges, and copies the list. */
    public Frequencies {
      if (frequenciesHz == null || frequenciesHz.size() != COUNT) {
        throw new LoRaWanException("CFList.Frequencies", "5 frequencies",
            frequenciesHz == null ? "null" : Integer.toString(frequenciesHz.size()));
      }
      for (int i = 0; i < COUNT; i++) {
        Long f = frequenciesHz.get(i);
        FrequencyField.check(f, "CFList.Freq" + i);
      }
      frequenciesHz = List.copyOf(frequenciesHz);
    }

    /** Builds a type-0 CFList from up to five frequencies; missing ones are 0. */
    public static Frequencies of(long... hz) {
      if (hz.length > COUNT) {
        throw new LoRaWanException("CFList.Frequencies", "at most 5 frequencies", Integer.toString(hz.length));
      }
      List<Long> l = new ArrayList<>(COUNT);
      for (int i = 0; i < COUNT; i++) {
        l.add(i < hz.length ? hz[i] : 0L);
      }
      return new Frequencies(l);
    }

    @Override
    public int type() {
      return 0;
    }
  }

  /**
   * CFListType 1: channel masks (16 bits LE each, bit 0 = first channel of the block). The
   * regional parameters use 5 (US915, AU915) or 6 (CN470) of the 7 slots; the 15th byte is RFU.
   *
   * @param chMasks exactly seven 16-bit masks
   */
  record ChannelMasks(List<Integer> chMasks) implements CfList {

    /** Number of 16-bit mask slots. */
    public static final int COUNT = 7;

    /** Validates count and ranges, and copies the list. */
    public ChannelMasks {
      if (chMasks == null || chMasks.size() != COUNT) {
        throw new LoRaWanException("CFList.ChMasks", "7 channel masks",
            chMasks == null ? "null" : Integer.toString(chMasks.size()));
      }
      for (int i = 0; i < COUNT; i++) {
        Integer m = chMasks.get(i);
        if (m == null || m < 0 || m > 0xFFFF) {
          throw new LoRaWanException("CFList.ChMask" + i, "a 16-bit mask", String.valueOf(m));
        }
      }
      chMasks = List.copyOf(chMasks);
    }

    /** Builds a type-1 CFList from up to seven masks; missing ones are 0. */
    public static ChannelMasks of(int... masks) {
      if (masks.length > COUNT) {
        throw new LoRaWanException("CFList.ChMasks", "at most 7 channel masks", Integer.toString(masks.length));
      }
      Integer[] all = new Integer[COUNT];
      Arrays.fill(all, 0);
      for (int i = 0; i < masks.length; i++) {
        all[i] = masks[i];
      }
      return new ChannelMasks(Arrays.asList(all));
    }

    /** True if channel {@code ch} (0..111) is enabled. */
    public boolean enabled(int ch) {
      if (ch < 0 || ch >= COUNT * 16) {
        throw new LoRaWanException("CFList.channel", "0.." + (COUNT * 16 - 1), Integer.toString(ch));
      }
      return (chMasks.get(ch / 16) & (1 << (ch % 16))) != 0;
    }

    @Override
    public int type() {
      return 1;
    }
  }
}

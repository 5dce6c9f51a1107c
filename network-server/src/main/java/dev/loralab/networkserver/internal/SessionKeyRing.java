package dev.loralab.networkserver.internal;

import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.LoRaWanException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The network session keys of one session. In LoRaWAN 1.0.x the three keys are the one NwkSKey
 * (stored in any of the three fields, {@code f_nwk_s_int_key} first).
 *
 * @param fNwkSIntKey uplink MIC (1.0.x: NwkSKey)
 * @param sNwkSIntKey uplink MIC second half and downlink MIC (1.0.x: NwkSKey)
 * @param nwkSEncKey FOpts and FPort-0 encryption (1.0.x: NwkSKey)
 */
public record SessionKeyRing(AesKey fNwkSIntKey, AesKey sNwkSIntKey, AesKey nwkSEncKey) {

  /** Rejects null keys. */
  public SessionKeyRing {
    if (fNwkSIntKey == null || sNwkSIntKey == null || nwkSEncKey == null) {
      throw new LoRaWanException("SessionKeys", "three network session keys", "a null key");
    }
  }

  /**
   * The keys of {@code session}.
   *
   * @throws LoRaWanException if a key is missing, malformed or only available wrapped
   */
  public static SessionKeyRing of(Session session, boolean lorawan11) {
    SessionKeys k = session.getKeys();
    // the keys parsed from the same text before, if still remembered: found by the text of the
    // first key, and checked against the text of each, so that the parsed keys of a device read
    // again from the store (new messages, same text) are found too, and an entry refers only to
    // the keys parsed, never to the message it was parsed from
    String first = (lorawan11 ? k.getFNwkSIntKey() : nwkSKey(k)).getKey();
    int slot = LaneKeys.slot(first.hashCode());
    Parsed p = PARSED.getPlain(slot);
    if (p != null && p.matches(k, lorawan11)) {
      return p.ring;
    }
    SessionKeyRing ring = parse(k, lorawan11);
    PARSED.setPlain(slot, new Parsed(lorawan11, ring));
    return ring;
  }

  /**
   * Parsed keys by the text of their first key, direct-mapped in as many slots as {@link
   * LaneKeys}' tables ({@link LaneKeys#slot}): a slot holds the last keys parsed into it. Entries
   * are immutable (final fields), so plain reads and writes race harmlessly: a reader sees a whole
   * entry or an older one, and parses again on a miss.
   */
  private static final AtomicReferenceArray<Parsed> PARSED =
      new AtomicReferenceArray<>(LaneKeys.SLOTS);

  private record Parsed(boolean lorawan11, SessionKeyRing ring) {
    /** Whether {@code k}'s keys, read as {@link #parse} reads them, are {@link #ring}'s. */
    boolean matches(SessionKeys k, boolean lorawan11) {
      if (this.lorawan11 != lorawan11) {
        return false;
      }
      if (!lorawan11) {
        return ring.fNwkSIntKey.isHex(nwkSKey(k).getKey());
      }
      return ring.fNwkSIntKey.isHex(k.getFNwkSIntKey().getKey())
          && ring.sNwkSIntKey.isHex(k.getSNwkSIntKey().getKey())
          && ring.nwkSEncKey.isHex(k.getNwkSEncKey().getKey());
    }
  }

  /** The envelope of a 1.0.x session's NwkSKey: the first of the three fields that is set. */
  private static KeyEnvelope nwkSKey(SessionKeys k) {
    return present(k.getFNwkSIntKey()) ? k.getFNwkSIntKey()
        : present(k.getSNwkSIntKey()) ? k.getSNwkSIntKey() : k.getNwkSEncKey();
  }

  private static SessionKeyRing parse(SessionKeys k, boolean lorawan11) {
    if (lorawan11) {
      return new SessionKeyRing(key(k.getFNwkSIntKey(), "FNwkSIntKey"),
          key(k.getSNwkSIntKey(), "SNwkSIntKey"), key(k.getNwkSEncKey(), "NwkSEncKey"));
    }
    AesKey nwkSKey = key(nwkSKey(k), "NwkSKey");
    return new SessionKeyRing(nwkSKey, nwkSKey, nwkSKey);
  }

  private static boolean present(KeyEnvelope e) {
    return !e.getKey().isEmpty() || !e.getEncryptedKey().isEmpty();
  }

  private static AesKey key(KeyEnvelope e, String name) {
    if (e.getKey().isEmpty()) {
      throw new LoRaWanException("session." + name, "a plain key",
          e.getEncryptedKey().isEmpty() ? "none" : "a wrapped key (KEK '" + e.getKekLabel() + "')");
    }
    try {
      return AesKey.parse(e.getKey());
    } catch (LoRaWanException ex) {
      throw new LoRaWanException("session." + name, "32 hex digits", "a malformed key");
    }
  }
}

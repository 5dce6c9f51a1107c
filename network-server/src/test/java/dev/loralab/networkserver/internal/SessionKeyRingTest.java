package dev.loralab.networkserver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.LoRaWanException;
import java.lang.ref.WeakReference;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SessionKeyRingTest {

  private static final String F = "2B7E151628AED2A6ABF7158809CF4F3C";
  private static final String S = "000102030405060708090A0B0C0D0E0F";
  private static final String E = "0F0E0D0C0B0A09080706050403020100";

  private static Session session(String f, String s, String e) {
    return Session.newBuilder().setDevAddr("26011234").setKeys(SessionKeys.newBuilder()
        .setFNwkSIntKey(KeyEnvelope.newBuilder().setKey(f))
        .setSNwkSIntKey(KeyEnvelope.newBuilder().setKey(s))
        .setNwkSEncKey(KeyEnvelope.newBuilder().setKey(e))).build();
  }

  @Test
  void theSameKeysMessageGivesTheSameKeysForEachVersion() {
    Session s = session(F, S, E);
    SessionKeyRing v11 = SessionKeyRing.of(s, true);
    assertEquals(new SessionKeyRing(AesKey.parse(F), AesKey.parse(S), AesKey.parse(E)), v11);
    SessionKeyRing v10 = SessionKeyRing.of(s, false);
    assertEquals(new SessionKeyRing(AesKey.parse(F), AesKey.parse(F), AesKey.parse(F)), v10);
    // a later version of the session (new FCntUp) shares the keys message: parsed once
    Session next = s.toBuilder().setLastFCntUp(7).build();
    assertSame(s.getKeys(), next.getKeys());
    assertEquals(v11, SessionKeyRing.of(next, true));
    assertEquals(v10, SessionKeyRing.of(next, false));
  }

  @Test
  void keysOfTheSameTextInAnotherMessageAreFoundWithoutKeepingTheMessage() {
    // as a device read again from the store: a new message with the same text
    Session s = session(F, S, E);
    SessionKeyRing v11 = SessionKeyRing.of(s, true);
    assertSame(v11, SessionKeyRing.of(session(F, S, E), true));
    // the same keys in other text (lower case) may be parsed again: equal keys
    assertEquals(v11, SessionKeyRing.of(session(F.toLowerCase(Locale.ROOT), S, E), true));
    assertSame(v11, SessionKeyRing.of(session(F, S, E), true));
    SessionKeyRing v10 = SessionKeyRing.of(s, false);
    assertSame(v10, SessionKeyRing.of(session(F, "", ""), false));
    // the same first key with another second or third: the same keys (1.0), others (1.1)
    assertSame(v10, SessionKeyRing.of(session(F, E, S), false));
    assertEquals(AesKey.parse(F), SessionKeyRing.of(session(F, F, E), true).sNwkSIntKey());
    assertEquals(AesKey.parse(S), SessionKeyRing.of(session(F, S, S), true).nwkSEncKey());
    // 1.0 with the NwkSKey only in the second or third field: that one is the key
    assertEquals(new SessionKeyRing(AesKey.parse(S), AesKey.parse(S), AesKey.parse(S)),
        SessionKeyRing.of(session("", S, E), false));
    assertEquals(AesKey.parse(E), SessionKeyRing.of(session("", "", E), false).nwkSEncKey());

    WeakReference<SessionKeys> ref = new WeakReference<>(s.getKeys());
    s = null;
    for (int i = 0; i < 20 && ref.get() != null; i++) {
      System.gc();
    }
    assertNull(ref.get(), "the parsed keys' table keeps the message they were parsed from");
  }

  @Test
  void otherKeysAreParsedAgainAndMalformedOnesFailEveryTime() {
    assertEquals(AesKey.parse(S), SessionKeyRing.of(session(S, F, E), false).fNwkSIntKey());
    Session bad = session(F, "00", E);
    assertThrows(LoRaWanException.class, () -> SessionKeyRing.of(bad, true));
    assertThrows(LoRaWanException.class, () -> SessionKeyRing.of(bad, true));
    assertEquals(AesKey.parse(F), SessionKeyRing.of(bad, false).fNwkSIntKey());
  }
}

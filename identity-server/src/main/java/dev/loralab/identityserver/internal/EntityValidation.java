package dev.loralab.identityserver.internal;

import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.Gateway;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.PHYVersion;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.User;
import dev.loralab.identityserver.InvalidFieldException;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Validation and normalization of entities (pure). Throws {@link InvalidFieldException} naming
 * the field; returns the normalized entity (EUIs, DevAddr and keys in upper-case hex).
 */
public final class EntityValidation {
  /** The Things Stack's ID syntax: lower-case alphanumerics with single dashes, 3..36 chars. */
  private static final Pattern ID = Pattern.compile("^[a-z0-9](?:-?[a-z0-9]){2,}$");
  static final int MAX_ID_LENGTH = 36;

  private final Predicate<String> frequencyPlanKnown;

  /** @param frequencyPlanKnown whether a frequency plan ID is known (accept any non-empty ID) */
  public EntityValidation(Predicate<String> frequencyPlanKnown) {
    this.frequencyPlanKnown = frequencyPlanKnown;
  }

  /** Validates a TTS-style ID. */
  public static String id(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidFieldException(field, "an ID", "nothing");
    }
    if (value.length() > MAX_ID_LENGTH || !ID.matcher(value).matches()) {
      throw new InvalidFieldException(field, "an ID matching " + ID.pattern() + " of at most "
          + MAX_ID_LENGTH + " characters", "'" + printable(value) + "'");
    }
    return value;
  }

  /** Validates hex of {@code digits} digits and returns it upper-case. */
  public static String hex(String field, String value, int digits) {
    if (value == null || value.length() != digits || !isHex(value)) {
      throw new InvalidFieldException(field, digits + " hex digits",
          value == null || value.isEmpty() ? "nothing" : "'" + printable(value) + "'");
    }
    return value.toUpperCase(Locale.ROOT);
  }

  private static boolean isHex(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return true;
  }

  /** Like {@link #hex} but the empty string is allowed (and returned). */
  public static String optionalHex(String field, String value, int digits) {
    return value == null || value.isEmpty() ? "" : hex(field, value, digits);
  }

  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }

  private String frequencyPlan(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidFieldException(field, "a frequency plan ID", "nothing");
    }
    if (!frequencyPlanKnown.test(value)) {
      throw new InvalidFieldException(field, "a known frequency plan ID", "'" + printable(value) + "'");
    }
    return value;
  }

  /** Validates a user. */
  public User user(User u) {
    id("user.ids.user_id", u.getIds().getUserId());
    return u;
  }

  /** Validates an application. */
  public Application application(Application a) {
    id("application.ids.application_id", a.getIds().getApplicationId());
    return a;
  }

  /** Validates and normalizes a gateway (EUI upper-case; frequency_plan_id(s) kept in sync). */
  public Gateway gateway(Gateway g) {
    Gateway.Builder b = g.toBuilder();
    id("gateway.ids.gateway_id", g.getIds().getGatewayId());
    b.getIdsBuilder().setEui(optionalHex("gateway.ids.eui", g.getIds().getEui(), 16));
    if (g.getFrequencyPlanIdsCount() > 0) {
      for (int i = 0; i < g.getFrequencyPlanIdsCount(); i++) {
        frequencyPlan("gateway.frequency_plan_ids[" + i + "]", g.getFrequencyPlanIds(i));
      }
      b.setFrequencyPlanId(g.getFrequencyPlanIds(0));
    } else {
      frequencyPlan("gateway.frequency_plan_id", g.getFrequencyPlanId());
      b.addFrequencyPlanIds(g.getFrequencyPlanId());
    }
    for (int i = 0; i < g.getAntennasCount(); i++) {
      var loc = g.getAntennas(i).getLocation();
      String f = "gateway.antennas[" + i + "].location";
      if (!(loc.getLatitude() >= -90 && loc.getLatitude() <= 90)) {
        throw new InvalidFieldException(f + ".latitude", "-90..90", String.valueOf(loc.getLatitude()));
      }
      if (!(loc.getLongitude() >= -180 && loc.getLongitude() <= 180)) {
        throw new InvalidFieldException(f + ".longitude", "-180..180", String.valueOf(loc.getLongitude()));
      }
    }
    return b.build();
  }

  /**
   * Validates and normalizes an end device: IDs, EUIs, LoRaWAN versions, frequency plan; OTAA
   * devices need JoinEUI, DevEUI and an AppKey (plus NwkKey for 1.1); ABP devices need a session
   * with DevAddr and session keys. {@code ids.dev_addr} is set from the session.
   */
  public EndDevice endDevice(EndDevice d) {
    EndDevice.Builder b = d.toBuilder();
    id("end_device.ids.device_id", d.getIds().getDeviceId());
    id("end_device.ids.application_ids.application_id",
        d.getIds().getApplicationIds().getApplicationId());
    var ids = b.getIdsBuilder();
    ids.setDevEui(optionalHex("end_device.ids.dev_eui", d.getIds().getDevEui(), 16));
    ids.setJoinEui(optionalHex("end_device.ids.join_eui", d.getIds().getJoinEui(), 16));
    if (d.getLorawanVersion() == MACVersion.MAC_UNKNOWN
        || d.getLorawanVersion() == MACVersion.UNRECOGNIZED) {
      throw new InvalidFieldException("end_device.lorawan_version",
          "one of MAC_V1_0, MAC_V1_0_1, MAC_V1_0_2, MAC_V1_0_3, MAC_V1_0_4, MAC_V1_1",
          d.getLorawanVersion().name());
    }
    if (d.getLorawanPhyVersion() == PHYVersion.UNRECOGNIZED) {
      throw new InvalidFieldException("end_device.lorawan_phy_version", "a PHY version", "UNRECOGNIZED");
    }
    if (d.getLorawanPhyVersion() == PHYVersion.PHY_UNKNOWN) {
      b.setLorawanPhyVersion(defaultPhy(d.getLorawanVersion()));
    }
    frequencyPlan("end_device.frequency_plan_id", d.getFrequencyPlanId());
    boolean v11 = d.getLorawanVersion() == MACVersion.MAC_V1_1;
    if (d.getSupportsJoin()) {
      if (d.getIds().getJoinEui().isEmpty()) {
        throw new InvalidFieldException("end_device.ids.join_eui", "16 hex digits for OTAA", "nothing");
      }
      if (d.getIds().getDevEui().isEmpty()) {
        throw new InvalidFieldException("end_device.ids.dev_eui", "16 hex digits for OTAA", "nothing");
      }
      if (!d.hasRootKeys() || !d.getRootKeys().hasAppKey()) {
        throw new InvalidFieldException("end_device.root_keys.app_key.key", "32 hex digits for OTAA",
            "nothing");
      }
      if (v11 && !d.getRootKeys().hasNwkKey()) {
        throw new InvalidFieldException("end_device.root_keys.nwk_key.key",
            "32 hex digits for OTAA with LoRaWAN 1.1", "nothing");
      }
    }
    if (d.hasRootKeys()) {
      var rk = b.getRootKeysBuilder();
      if (d.getRootKeys().hasAppKey()) {
        rk.setAppKey(key("end_device.root_keys.app_key", d.getRootKeys().getAppKey()));
      }
      if (d.getRootKeys().hasNwkKey()) {
        rk.setNwkKey(key("end_device.root_keys.nwk_key", d.getRootKeys().getNwkKey()));
      }
    }
    if (!d.getSupportsJoin() && !d.hasSession()) {
      throw new InvalidFieldException("end_device.session",
          "a session with dev_addr and keys for ABP (supports_join false)", "nothing");
    }
    if (d.hasSession()) {
      b.setSession(session("end_device.session", d.getSession(), v11));
      ids.setDevAddr(b.getSession().getDevAddr());
    } else {
      ids.setDevAddr(optionalHex("end_device.ids.dev_addr", d.getIds().getDevAddr(), 8));
    }
    if (d.hasPendingSession()) {
      b.setPendingSession(session("end_device.pending_session", d.getPendingSession(), v11));
    }
    if (d.hasMacSettings()) {
      var ms = d.getMacSettings();
      if (ms.getRx1Delay() > 15) {
        throw new InvalidFieldException("end_device.mac_settings.rx1_delay", "0..15 seconds",
            String.valueOf(ms.getRx1Delay()));
      }
      if (ms.getRx2DataRateIndex() > 15) {
        throw new InvalidFieldException("end_device.mac_settings.rx2_data_rate_index", "0..15",
            String.valueOf(ms.getRx2DataRateIndex()));
      }
      if (ms.getRx1DataRateOffset() > 7) {
        throw new InvalidFieldException("end_device.mac_settings.rx1_data_rate_offset", "0..7",
            String.valueOf(ms.getRx1DataRateOffset()));
      }
    }
    return b.build();
  }

  private static Session session(String field, Session s, boolean v11) {
    Session.Builder b = s.toBuilder();
    b.setDevAddr(hex(field + ".dev_addr", s.getDevAddr(), 8));
    if (!s.hasKeys()) {
      throw new InvalidFieldException(field + ".keys", "session keys", "nothing");
    }
    var k = b.getKeysBuilder();
    var keys = s.getKeys();
    k.setFNwkSIntKey(requiredKey(field + ".keys.f_nwk_s_int_key", keys.hasFNwkSIntKey(), keys.getFNwkSIntKey()));
    k.setAppSKey(requiredKey(field + ".keys.app_s_key", keys.hasAppSKey(), keys.getAppSKey()));
    if (v11) {
      k.setSNwkSIntKey(requiredKey(field + ".keys.s_nwk_s_int_key", keys.hasSNwkSIntKey(), keys.getSNwkSIntKey()));
      k.setNwkSEncKey(requiredKey(field + ".keys.nwk_s_enc_key", keys.hasNwkSEncKey(), keys.getNwkSEncKey()));
    } else {
      if (keys.hasSNwkSIntKey()) {
        k.setSNwkSIntKey(key(field + ".keys.s_nwk_s_int_key", keys.getSNwkSIntKey()));
      }
      if (keys.hasNwkSEncKey()) {
        k.setNwkSEncKey(key(field + ".keys.nwk_s_enc_key", keys.getNwkSEncKey()));
      }
    }
    return b.build();
  }

  private static KeyEnvelope requiredKey(String field, boolean present, KeyEnvelope k) {
    if (!present) {
      throw new InvalidFieldException(field + ".key", "32 hex digits", "nothing");
    }
    return key(field, k);
  }

  private static KeyEnvelope key(String field, KeyEnvelope k) {
    if (!k.getEncryptedKey().isEmpty() && k.getKey().isEmpty()) {
      return k; // wrapped key: stored as is
    }
    // Never echo key material in the error.
    String v = k.getKey();
    if (v.length() != 32 || !isHex(v)) {
      throw new InvalidFieldException(field + ".key", "32 hex digits",
          v.isEmpty() ? "nothing" : v.length() + " characters");
    }
    return k.toBuilder().setKey(v.toUpperCase(Locale.ROOT)).build();
  }

  /** The regional parameters version matching a LoRaWAN MAC version, used when none is given. */
  static PHYVersion defaultPhy(MACVersion v) {
    return switch (v) {
      case MAC_V1_0 -> PHYVersion.TS001_V1_0;
      case MAC_V1_0_1 -> PHYVersion.TS001_V1_0_1;
      case MAC_V1_0_2 -> PHYVersion.RP001_V1_0_2_REV_B;
      case MAC_V1_0_3 -> PHYVersion.RP001_V1_0_3_REV_A;
      case MAC_V1_1 -> PHYVersion.RP001_V1_1_REV_B;
      default -> PHYVersion.RP002_V1_0_3;
    };
  }
}

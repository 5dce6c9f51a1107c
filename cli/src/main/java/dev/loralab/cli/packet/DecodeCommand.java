package dev.loralab.cli.packet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loralab.cli.CliInputException;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.MacVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loralab packet decode <hex-or-base64> [keys...]}: prints a PHYPayload as JSON with the
 * field names of The Things Stack's {@code ttn.lorawan.v3.Message}; with keys also the MIC check,
 * decrypted payloads, MAC commands, the decrypted join-accept and derived session keys.
 */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = "Decode a LoRaWAN PHYPayload (hex or base64) and print it as JSON.")
public final class DecodeCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<hex-or-base64>", description = "The PHYPayload.")
  String frame;

  @Option(names = "--app-key", paramLabel = "K", description = "AppKey (1.0.x root key; 1.1 AppSKey derivation).")
  String appKey;

  @Option(names = "--nwk-key", paramLabel = "K", description = "NwkKey (1.1 root key).")
  String nwkKey;

  @Option(names = "--app-s-key", paramLabel = "K", description = "AppSKey.")
  String appSKey;

  @Option(names = "--nwk-s-key", paramLabel = "K", description = "NwkSKey (1.0.x).")
  String nwkSKey;

  @Option(names = "--f-nwk-s-int-key", paramLabel = "K", description = "FNwkSIntKey (1.1).")
  String fNwkSIntKey;

  @Option(names = "--s-nwk-s-int-key", paramLabel = "K", description = "SNwkSIntKey (1.1).")
  String sNwkSIntKey;

  @Option(names = "--nwk-s-enc-key", paramLabel = "K", description = "NwkSEncKey (1.1).")
  String nwkSEncKey;

  @Option(names = "--lorawan-version", paramLabel = "V",
      description = "MAC version: 1.0, 1.0.1 .. 1.0.4 or 1.1 (default: 1.1 if a 1.1 key is given, else 1.0.3).")
  String version;

  @Option(names = "--dev-nonce", paramLabel = "N", description = "DevNonce of the join-request (4 hex digits), for join-accepts.")
  String devNonce;

  @Option(names = "--join-eui", paramLabel = "E", description = "JoinEUI (16 hex digits), for 1.1 join-accepts.")
  String joinEui;

  @Option(names = "--dev-eui", paramLabel = "E", description = "DevEUI (16 hex digits), for the 1.1 join-accept MIC (JSIntKey).")
  String devEui;

  @Option(names = "--f-cnt", paramLabel = "N",
      description = "Full 32-bit FCnt to use in the crypto (default: the 16-bit FCnt of the frame).")
  Long fullFCnt;

  @Option(names = "--conf-f-cnt", paramLabel = "N", defaultValue = "0",
      description = "1.1 ConfFCnt of the acknowledged frame (used only when ACK is set).")
  int confFCnt;

  @Option(names = "--tx-dr", paramLabel = "N", defaultValue = "0", description = "1.1 uplink MIC: data rate index.")
  int txDr;

  @Option(names = "--tx-ch", paramLabel = "N", defaultValue = "0", description = "1.1 uplink MIC: channel index.")
  int txCh;

  @Override
  public void run() {
    byte[] phy = PacketInput.frameBytes(frame);
    DecodeOptions options = new DecodeOptions(
        key("--app-key", appKey), key("--nwk-key", nwkKey), key("--app-s-key", appSKey),
        key("--nwk-s-key", nwkSKey), key("--f-nwk-s-int-key", fNwkSIntKey),
        key("--s-nwk-s-int-key", sNwkSIntKey), key("--nwk-s-enc-key", nwkSEncKey),
        versionOrDefault(), devNonce(), joinEui(), devEui(), fullFCnt, confFCnt, txDr, txCh);
    try {
      spec.commandLine().getOut().println(JSON.writeValueAsString(FrameReport.render(phy, options)));
    } catch (LoRaWanException e) {
      throw new CliInputException("invalid frame: " + e.getMessage());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    spec.commandLine().getOut().flush();
  }

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private MacVersion versionOrDefault() {
    MacVersion v = PacketInput.version("--lorawan-version", version);
    if (v != null) {
      return v;
    }
    boolean any11 = fNwkSIntKey != null || sNwkSIntKey != null || nwkSEncKey != null || nwkKey != null;
    return any11 ? MacVersion.V1_1 : MacVersion.V1_0_3;
  }

  private DevNonce devNonce() {
    return PacketInput.devNonce("--dev-nonce", devNonce);
  }

  private Eui64 joinEui() {
    return PacketInput.eui("--join-eui", joinEui);
  }

  private Eui64 devEui() {
    return PacketInput.eui("--dev-eui", devEui);
  }

  private static AesKey key(String option, String value) {
    return PacketInput.key(option, value);
  }
}

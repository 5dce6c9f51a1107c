package dev.loralab.lorawan;

import static dev.loralab.lorawan.LoRaWanVectorsTest.hex;
import static dev.loralab.lorawan.LoRaWanVectorsTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.lorawan.mac.MacCommandCodec;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code mac_command_payload} vectors: the typed command built from the vector's fields
 * encodes to the expected payload and decodes back.
 */
final class MacCommandVectors {

  private MacCommandVectors() {}

  static void check(JsonNode v) {
    JsonNode f = v.get("inputs").get("fields");
    String command = text(v.get("inputs"), "command");
    MacCommand expected = switch (command.substring(0, command.indexOf(' '))) {
      case "DevStatusAns" -> new MacCommand.DevStatusAns(f.get("Battery").asInt(), f.get("Margin").asInt());
      case "DlChannelReq" -> new MacCommand.DlChannelReq(f.get("ChIndex").asInt(), f.get("Freq_Hz").asLong());
      // "channel 3 (bit 2)"
      case "LinkADRReq" -> new MacCommand.LinkADRReq(f.get("DataRate").asInt(), f.get("TXPower").asInt(),
          1 << 2, f.get("ChMaskCntl").asInt(), f.get("NbTrans").asInt());
      case "LinkCheckAns" -> new MacCommand.LinkCheckAns(f.get("Margin").asInt(), f.get("GwCnt").asInt());
      case "RXParamSetupReq" -> new MacCommand.RXParamSetupReq(f.get("RX1DROffset").asInt(),
          f.get("RX2DataRate").asInt(), f.get("Frequency_Hz").asLong());
      // UplinkDwellTime "400ms" -> 1, DownlinkDwellTime "no limit" -> 0
      case "TxParamSetupReq" -> new MacCommand.TxParamSetupReq(
          "400ms".equals(text(f, "DownlinkDwellTime")), "400ms".equals(text(f, "UplinkDwellTime")),
          f.get("MaxEIRP_index").asInt());
      default -> throw new AssertionError("no mapping for " + command);
    };
    byte[] payload = hex(text(v.get("expected"), "payload"));
    byte[] encoded = MacCommandCodec.encode(expected);
    // only brocaar_linkcheckans includes the CID byte in its payload
    boolean withCid = command.contains("incl. CID");
    byte[] withoutCid = withCid ? Arrays.copyOfRange(payload, 1, payload.length) : payload;
    assertThat(encoded[0] & 0xFF).isEqualTo(expected.cid());
    assertThat(Arrays.copyOfRange(encoded, 1, encoded.length)).isEqualTo(withoutCid);
    assertThat(MacCommandCodec.decode(encoded, expected.uplink())).isEqualTo(List.of(expected));
  }
}

package dev.loralab.cli.packet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.cli.CliInputException;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.NetId;
import dev.loralab.lorawan.crypto.SessionKeyDerivation;
import dev.loralab.lorawan.crypto.SessionKeys10;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code loralab packet derive-keys}: session keys from root keys and join parameters
 * (LoRaWAN 1.0.x: AppKey, AppNonce/JoinNonce, NetID, DevNonce; 1.1: NwkKey, AppKey, JoinNonce,
 * JoinEUI, DevNonce, and with a DevEUI the JSIntKey/JSEncKey).
 */
@Command(
    name = "derive-keys",
    mixinStandardHelpOptions = true,
    description = "Derive LoRaWAN session keys from root keys and join parameters; prints JSON.")
public final class DeriveKeysCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--lorawan-version", paramLabel = "V", defaultValue = "1.0.3",
      description = "MAC version: 1.0 .. 1.0.4 or 1.1 (default ${DEFAULT-VALUE}).")
  String version;

  @Option(names = "--app-key", paramLabel = "K", description = "AppKey (1.0.x root key; 1.1 AppSKey root).")
  String appKey;

  @Option(names = "--nwk-key", paramLabel = "K", description = "NwkKey (1.1; in 1.0.x it stands in for the AppKey).")
  String nwkKey;

  @Option(names = "--join-nonce", paramLabel = "N", required = true, description = "JoinNonce/AppNonce, 6 hex digits.")
  String joinNonce;

  @Option(names = "--dev-nonce", paramLabel = "N", required = true, description = "DevNonce, 4 hex digits.")
  String devNonce;

  @Option(names = "--net-id", paramLabel = "ID", description = "NetID, 6 hex digits (1.0.x).")
  String netId;

  @Option(names = "--join-eui", paramLabel = "E", description = "JoinEUI, 16 hex digits (1.1).")
  String joinEui;

  @Option(names = "--dev-eui", paramLabel = "E", description = "DevEUI, 16 hex digits (1.1: also derive JSIntKey, JSEncKey).")
  String devEui;

  @Override
  public void run() {
    MacVersion v = PacketInput.version("--lorawan-version", version);
    AesKey app = PacketInput.key("--app-key", appKey);
    AesKey nwk = PacketInput.key("--nwk-key", nwkKey);
    JoinNonce jn = PacketInput.joinNonce("--join-nonce", joinNonce);
    DevNonce dn = PacketInput.devNonce("--dev-nonce", devNonce);
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("lorawan_version", v.text());
    try {
      if (v.is1_1()) {
        PacketInput.require(nwk, "--nwk-key", "for LoRaWAN 1.1");
        PacketInput.require(app, "--app-key", "for LoRaWAN 1.1");
        Eui64 je = PacketInput.require(PacketInput.eui("--join-eui", joinEui), "--join-eui", "for LoRaWAN 1.1");
        FrameReport.sessionKeys(root, SessionKeyDerivation.derive11(nwk, app, jn, je, dn));
        Eui64 de = PacketInput.eui("--dev-eui", devEui);
        if (de != null) {
          root.set("js_int_key", FrameReport.envelope(SessionKeyDerivation.jsIntKey(nwk, de)));
          root.set("js_enc_key", FrameReport.envelope(SessionKeyDerivation.jsEncKey(nwk, de)));
        }
      } else {
        AesKey key = app != null ? app : nwk;
        PacketInput.require(key, "--app-key", "for LoRaWAN 1.0.x");
        NetId id = PacketInput.require(PacketInput.netId("--net-id", netId), "--net-id", "for LoRaWAN 1.0.x");
        SessionKeys10 keys = SessionKeyDerivation.derive10(key, jn, id, dn);
        ObjectNode sk = FrameReport.sessionKeys(root, keys.asLegacy11());
        sk.set("nwk_s_key", FrameReport.envelope(keys.nwkSKey()));
      }
      spec.commandLine().getOut().println(DecodeCommand.JSON.writeValueAsString(root));
      spec.commandLine().getOut().flush();
    } catch (LoRaWanException e) {
      throw new CliInputException(e.getMessage());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

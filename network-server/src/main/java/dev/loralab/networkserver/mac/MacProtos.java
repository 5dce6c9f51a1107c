package dev.loralab.networkserver.mac;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.lorawan.mac.MacCommandCodec;
import java.util.Arrays;
import java.util.List;

/** Conversion between MAC command records and the {@code MACCommand} proto kept in MAC state. */
public final class MacProtos {

  private MacProtos() {}

  /** The command as {@code MACCommand{cid, raw_payload}}. */
  public static MACCommand toProto(MacCommand c) {
    byte[] all = MacCommandCodec.encode(c);
    return MACCommand.newBuilder().setCid(c.cid())
        .setRawPayload(ByteString.copyFrom(all, 1, all.length - 1)).build();
  }

  /**
   * The command record of a stored {@code MACCommand}.
   *
   * @param uplink true for commands sent by the device
   * @throws LoRaWanException if the stored bytes are not one valid command
   */
  public static MacCommand fromProto(MACCommand p, boolean uplink) {
    if (p.getCid() > 0xFF) {
      throw new LoRaWanException("MACCommand.cid", "0..255", Integer.toString(p.getCid()));
    }
    byte[] raw = p.getRawPayload().toByteArray();
    byte[] all = new byte[raw.length + 1];
    all[0] = (byte) p.getCid();
    System.arraycopy(raw, 0, all, 1, raw.length);
    List<MacCommand> l = MacCommandCodec.decode(all, uplink);
    if (l.size() != 1) {
      throw new LoRaWanException("MACCommand", "one command", l.size() + " commands");
    }
    return l.get(0);
  }

  /** The concatenated wire form of stored commands. */
  public static byte[] encodeAll(List<MACCommand> commands) {
    int n = 0;
    for (MACCommand c : commands) {
      n += 1 + c.getRawPayload().size();
    }
    byte[] out = new byte[n];
    int off = 0;
    for (MACCommand c : commands) {
      out[off++] = (byte) c.getCid();
      c.getRawPayload().copyTo(out, off);
      off += c.getRawPayload().size();
    }
    return Arrays.copyOf(out, off);
  }

  /** Wire length of a stored command, CID included. */
  public static int length(MACCommand c) {
    return 1 + c.getRawPayload().size();
  }
}

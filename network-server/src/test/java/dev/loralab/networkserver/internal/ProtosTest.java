package dev.loralab.networkserver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.lorawan.frame.FHdr;
import dev.loralab.lorawan.frame.MType;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ProtosTest {

  @Test
  void entityIsEqualWhetherOrNotTheIdentifiersCarryTheDevAddr() {
    EndDeviceIdentifiers bare = EndDeviceIdentifiers.newBuilder().setDeviceId("d1").build();
    EndDeviceIdentifiers withAddr = bare.toBuilder().setDevAddr("26011234").build();
    EntityIdentifiers expected = EntityIdentifiers.newBuilder().setDeviceIds(withAddr).build();
    assertEquals(expected, Protos.entity(bare, "26011234"));
    assertEquals(expected, Protos.entity(withAddr, "26011234"));
    // another DevAddr than the one in the identifiers: the given one wins
    assertEquals(EntityIdentifiers.newBuilder()
        .setDeviceIds(bare.toBuilder().setDevAddr("26019999")).build(),
        Protos.entity(withAddr, "26019999"));
    assertEquals(EntityIdentifiers.newBuilder().setDeviceIds(withAddr).build(),
        Protos.entity(withAddr, ""));
  }

  @Test
  void dataMessageWithTheFormattedDevAddrIsTheSame() {
    DevAddr addr = DevAddr.parse("26011234");
    DataFrame f = new DataFrame(MType.data(true, true),
        new FHdr(addr, new FCtrl.Uplink(true, false, true, false), 5,
            Bytes.of(new byte[] {0x02})),
        OptionalInt.of(3), Bytes.of(new byte[] {1, 2, 3}), new Mic(0x01020304));
    assertEquals(Protos.dataMessage(f, 0x10005), Protos.dataMessage(f, "26011234", 0x10005));
    dev.loralab.api.v3.Message m = Protos.dataMessage(f, 0x10005);
    assertEquals(ByteString.copyFrom(new byte[] {1, 2, 3}),
        m.getMacPayload().getFrmPayload());
    assertEquals(ByteString.copyFrom(new byte[] {2}), m.getMacPayload().getFHdr().getFOpts());
    assertEquals(ByteString.copyFrom(new Mic(0x01020304).toBytes()), m.getMic());
    DataFrame empty = new DataFrame(MType.data(true, false),
        new FHdr(addr, new FCtrl.Uplink(false, false, false, false), 1, Bytes.EMPTY),
        OptionalInt.empty(), Bytes.EMPTY, new Mic(0));
    assertEquals(ByteString.EMPTY, Protos.dataMessage(empty, 1).getMacPayload().getFrmPayload());
    assertEquals(ByteString.EMPTY,
        Protos.dataMessage(empty, 1).getMacPayload().getFHdr().getFOpts());
  }
}

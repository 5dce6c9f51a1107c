package dev.loralab.cli.packet;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.MacVersion;

/** Keys and context for decoding one frame; every key may be null (then its checks are skipped). */
record DecodeOptions(AesKey appKey, AesKey nwkKey, AesKey appSKey, AesKey nwkSKey,
    AesKey fNwkSIntKey, AesKey sNwkSIntKey, AesKey nwkSEncKey, MacVersion version,
    DevNonce devNonce, Eui64 joinEui, Eui64 devEui, Long fullFCnt, int confFCnt, int txDr, int txCh) {

  /** No keys, LoRaWAN 1.0.3. */
  static DecodeOptions none() {
    return new DecodeOptions(null, null, null, null, null, null, null, MacVersion.V1_0_3, null, null,
        null, null, 0, 0, 0);
  }
}

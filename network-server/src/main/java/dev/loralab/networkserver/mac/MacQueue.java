package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.MACCommand;
import dev.loralab.api.v3.MACState;
import java.util.ArrayList;
import java.util.List;

/** Queue operations on a {@code MACState}: answers and requests waiting for the next downlink. */
public final class MacQueue {

  private MacQueue() {}

  /** Queues an answer for the next downlink. */
  public static void queueResponse(MACState.Builder s, MACCommand answer) {
    s.addQueuedResponses(answer);
  }

  /** Queues a request for the next downlink, replacing a queued request with the same CID. */
  public static void queueRequest(MACState.Builder s, MACCommand request) {
    List<MACCommand> keep = new ArrayList<>();
    for (MACCommand c : s.getQueuedRequestsList()) {
      if (c.getCid() != request.getCid()) {
        keep.add(c);
      }
    }
    keep.add(request);
    s.clearQueuedRequests().addAllQueuedRequests(keep);
  }

  /** Whether a request with this CID is queued or awaiting its answer. */
  public static boolean hasRequest(MACState.Builder s, int cid) {
    for (int i = 0; i < s.getQueuedRequestsCount(); i++) {
      if (s.getQueuedRequests(i).getCid() == cid) {
        return true;
      }
    }
    for (int i = 0; i < s.getPendingRequestsCount(); i++) {
      if (s.getPendingRequests(i).getCid() == cid) {
        return true;
      }
    }
    return false;
  }
}

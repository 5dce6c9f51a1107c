package dev.loralab.events;

import java.util.function.ToLongFunction;

/**
 * The events of each correlation ID, for {@code FindRelated}, without an object per ID or per
 * event: an open-addressed table of the IDs' 64-bit hashes (linear probing, backward-shift
 * deletion) gives the ID's number; an ID's number indexes a ring of IDs in the order they were
 * first seen (its hash and its newest link), which forgets the oldest ID when {@code maxIds} are
 * indexed; and a link ring holds {@code (event sequence, older link)} pairs, so an ID's events are a
 * chain from its newest link. Queries walk at most {@code maxEventsPerId} links, newest first: the
 * ID's last events, as a per-ID bounded log would keep them. Links are numbered by a monotonic
 * sequence; a link below {@link #linkFirst} was overwritten and ends a chain. The link ring grows
 * (by doubling, up to a bound) instead of overwriting a link of an event still in the
 * {@link EventRing}.
 *
 * <p>IDs are known only by their hash: two IDs with the same hash share one chain (a query then
 * walks the other ID's events too and the caller drops them by checking the decoded events'
 * correlation IDs, so no wrong event is returned, though fewer than {@code maxEventsPerId} may be).
 * With the default 64-bit hash this does not happen in practice.
 *
 * <p>Not thread-safe: guarded by the history's lock.
 */
final class CorrelationIndex {

  private static final int INITIAL_IDS = 256;
  private static final int INITIAL_LINKS = 1024;

  private final ToLongFunction<String> hash;
  private final int maxIds;
  private final int maxLinks;

  // Hash table: key 0 is empty (hashes of 0 are stored as 1); value is the ID's number.
  private long[] keys = new long[2 * INITIAL_IDS];
  private long[] values = new long[2 * INITIAL_IDS];
  private int tableCount;

  // IDs in order of first use, by number.
  private int idCapacity;
  private long[] idHashes;
  private long[] idNewest;
  private long idFirst;
  private long idNext;

  // Links by link sequence number.
  private int linkCapacity;
  private long[] linkEvents;
  private long[] linkOlder;
  private long linkFirst;
  private long linkNext;

  /**
   * @param hash     64-bit hash of a correlation ID
   * @param maxIds   IDs indexed at most, the oldest forgotten first
   * @param maxLinks links kept at most (the link ring grows up to this while its oldest link's event is in the ring)
   */
  CorrelationIndex(ToLongFunction<String> hash, int maxIds, int maxLinks) {
    this.hash = hash;
    this.maxIds = maxIds;
    this.maxLinks = Math.max(1, maxLinks);
    idCapacity = Math.min(maxIds, INITIAL_IDS);
    idHashes = new long[idCapacity];
    idNewest = new long[idCapacity];
    linkCapacity = Math.min(this.maxLinks, INITIAL_LINKS);
    linkEvents = new long[linkCapacity];
    linkOlder = new long[linkCapacity];
  }

  /**
   * The default hash of a correlation ID: 64-bit FNV-1a over its chars, finished with the MurmurHash3
   * 64-bit mixer; never 0.
   */
  static long defaultHash(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0, n = id.length(); i < n; i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** The hash of {@code id} as this index uses it (never 0). */
  long hashOf(String id) {
    long h = hash.applyAsLong(id);
    return h == 0 ? 1 : h;
  }

  /** Adds the event {@code eventSeq} to the ID with hash {@code h} ({@link #hashOf}). */
  void add(long h, long eventSeq, EventRing ring) {
    long id = find(h);
    if (id < 0) {
      id = newId(h);
    }
    int s = (int) (id % idCapacity);
    long newest = idNewest[s];
    if (newest >= linkFirst && linkEvents[(int) (newest % linkCapacity)] == eventSeq) {
      return; // another ID of the same event with the same hash: the event is linked once
    }
    idNewest[s] = newLink(eventSeq, newest, ring);
  }

  /**
   * Adds the sequence numbers of at most {@code max} of the newest events of the ID with hash
   * {@code h} to {@code out}, newest first; returns how many (0 for an unknown ID).
   */
  int newestEvents(long h, int max, long[] out) {
    long id = find(h);
    if (id < 0) {
      return 0;
    }
    int n = 0;
    for (long l = idNewest[(int) (id % idCapacity)]; n < max && l >= linkFirst; ) {
      int s = (int) (l % linkCapacity);
      out[n++] = linkEvents[s];
      l = linkOlder[s];
    }
    return n;
  }

  /** Correlation IDs indexed now. */
  int idCount() {
    return (int) (idNext - idFirst);
  }

  /** Links kept now (a test hook). */
  int linkCapacity() {
    return linkCapacity;
  }

  private static int home(long h, int mask) {
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private long find(long h) {
    int mask = keys.length - 1;
    for (int p = home(h, mask); ; p = (p + 1) & mask) {
      long k = keys[p];
      if (k == h) {
        return values[p];
      }
      if (k == 0) {
        return -1;
      }
    }
  }

  private long newId(long h) {
    if (idNext - idFirst >= maxIds) {
      int s = (int) (idFirst % idCapacity);
      remove(idHashes[s]);
      idFirst++;
    }
    if (idNext - idFirst == idCapacity) {
      growIds();
    }
    int s = (int) (idNext % idCapacity);
    idHashes[s] = h;
    idNewest[s] = -1;
    if (2 * (tableCount + 1) > keys.length) {
      rehash(keys.length * 2);
    }
    insert(h, idNext);
    return idNext++;
  }

  private void insert(long h, long id) {
    int mask = keys.length - 1;
    int p = home(h, mask);
    while (keys[p] != 0) {
      p = (p + 1) & mask;
    }
    keys[p] = h;
    values[p] = id;
    tableCount++;
  }

  /** Removes {@code h} from the table, shifting later entries of its probe run back. */
  private void remove(long h) {
    int mask = keys.length - 1;
    int i = home(h, mask);
    while (keys[i] != h) {
      if (keys[i] == 0) {
        return;
      }
      i = (i + 1) & mask;
    }
    tableCount--;
    for (int j = i; ; ) {
      keys[i] = 0;
      while (true) {
        j = (j + 1) & mask;
        long k = keys[j];
        if (k == 0) {
          return;
        }
        int home = home(k, mask);
        // The entry at j stays if its home is cyclically in (i, j]; else it moves to the hole at i.
        boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
          keys[i] = k;
          values[i] = values[j];
          i = j;
          break;
        }
      }
    }
  }

  private void rehash(int size) {
    long[] ks = keys;
    long[] vs = values;
    keys = new long[size];
    values = new long[size];
    tableCount = 0;
    for (int p = 0; p < ks.length; p++) {
      if (ks[p] != 0) {
        insert(ks[p], vs[p]);
      }
    }
  }

  private void growIds() {
    long[] hs = idHashes;
    long[] ns = idNewest;
    int old = idCapacity;
    idCapacity = (int) Math.min(maxIds, 2L * old);
    idHashes = new long[idCapacity];
    idNewest = new long[idCapacity];
    for (long id = idFirst; id < idNext; id++) {
      idHashes[(int) (id % idCapacity)] = hs[(int) (id % old)];
      idNewest[(int) (id % idCapacity)] = ns[(int) (id % old)];
    }
  }

  private long newLink(long eventSeq, long older, EventRing ring) {
    if (linkNext - linkFirst == linkCapacity) {
      if (linkCapacity < maxLinks && ring.isLive(linkEvents[(int) (linkFirst % linkCapacity)])) {
        growLinks();
      } else {
        linkFirst++;
      }
    }
    int s = (int) (linkNext % linkCapacity);
    linkEvents[s] = eventSeq;
    linkOlder[s] = older;
    return linkNext++;
  }

  private void growLinks() {
    long[] es = linkEvents;
    long[] os = linkOlder;
    int old = linkCapacity;
    linkCapacity = (int) Math.min(maxLinks, 2L * old);
    linkEvents = new long[linkCapacity];
    linkOlder = new long[linkCapacity];
    for (long l = linkFirst; l < linkNext; l++) {
      linkEvents[(int) (l % linkCapacity)] = es[(int) (l % old)];
      linkOlder[(int) (l % linkCapacity)] = os[(int) (l % old)];
    }
  }
}

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

  // Hash table of (key, value) pairs at 2p and 2p + 1: key 0 is empty (a hash of 0 is used as 1);
  // the value is the ID's number.
  private long[] table = new long[2 * 2 * INITIAL_IDS];
  private int tableMask = 2 * INITIAL_IDS - 1;
  private int tableCount;

  // IDs in order of first use, by number: (hash, newest link) pairs at 2s and 2s + 1.
  private int idMask;
  private long[] ids;
  private long idFirst;
  private long idNext;

  // Links by link sequence number: (event sequence, older link) pairs at 2s and 2s + 1.
  private int linkMask;
  private long[] links;
  private long linkFirst;
  private long linkNext;

  /**
   * @param hash     64-bit hash of a correlation ID
   * @param maxIds   IDs indexed at most, the oldest forgotten first
   * @param maxLinks links kept at most, rounded up to a power of two (the link ring grows up to this
   *                 while its oldest link's event is in the ring)
   */
  CorrelationIndex(ToLongFunction<String> hash, int maxIds, int maxLinks) {
    this.hash = hash;
    this.maxIds = maxIds;
    this.maxLinks = EventRing.roundUp(Math.max(1, Math.min(maxLinks, 1 << 29)));
    int idCapacity = Math.min(EventRing.roundUp(maxIds), INITIAL_IDS);
    idMask = idCapacity - 1;
    ids = new long[2 * idCapacity];
    int linkCapacity = Math.min(this.maxLinks, INITIAL_LINKS);
    linkMask = linkCapacity - 1;
    links = new long[2 * linkCapacity];
  }

  /**
   * The default hash of a correlation ID: its chars four at a time (one 64-bit word) through a
   * multiply-rotate-multiply step, then the length and the MurmurHash3 64-bit finalizer.
   */
  static long defaultHash(String id) {
    int n = id.length();
    long h = 0x9e3779b97f4a7c15L;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      long w = id.charAt(i) | (long) id.charAt(i + 1) << 16 | (long) id.charAt(i + 2) << 32
          | (long) id.charAt(i + 3) << 48;
      h = Long.rotateLeft(h ^ (w * 0x87c37b91114253d5L), 31) * 0x4cf5ad432745937fL;
    }
    long w = 0;
    for (int shift = 0; i < n; i++, shift += 16) {
      w |= (long) id.charAt(i) << shift;
    }
    h = Long.rotateLeft(h ^ (w * 0x87c37b91114253d5L), 31) * 0x4cf5ad432745937fL;
    h ^= n;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** The hash function (an identity for caching hashes: {@link CorrelationIds#hashes}). */
  ToLongFunction<String> hashFunction() {
    return hash;
  }

  /** The hash of {@code id} as this index uses it (never 0). */
  long hashOf(String id) {
    long h = hash.applyAsLong(id);
    return h == 0 ? 1 : h;
  }

  /**
   * Adds the event {@code eventSeq} to the ID with hash {@code h} ({@link #hashOf}); the caller adds
   * an event once per hash (IDs of one event with the same hash share its link).
   */
  void add(long h, long eventSeq, EventRing ring) {
    long id = find(h);
    if (id < 0) {
      id = newId(h);
    }
    int s = 2 * ((int) id & idMask) + 1;
    ids[s] = newLink(eventSeq, ids[s], ring);
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
    for (long l = ids[2 * ((int) id & idMask) + 1]; n < max && l >= linkFirst; ) {
      int s = 2 * ((int) l & linkMask);
      out[n++] = links[s];
      l = links[s + 1];
    }
    return n;
  }

  /** Correlation IDs indexed now. */
  int idCount() {
    return (int) (idNext - idFirst);
  }

  /** Links kept now (a test hook). */
  int linkCapacity() {
    return linkMask + 1;
  }

  private static int home(long h, int mask) {
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private long find(long h) {
    int mask = tableMask;
    for (int p = home(h, mask); ; p = (p + 1) & mask) {
      long k = table[2 * p];
      if (k == h) {
        return table[2 * p + 1];
      }
      if (k == 0) {
        return -1;
      }
    }
  }

  private long newId(long h) {
    if (idNext - idFirst >= maxIds) {
      remove(ids[2 * ((int) idFirst & idMask)]);
      idFirst++;
    }
    if (idNext - idFirst == idMask + 1) {
      growIds();
    }
    int s = 2 * ((int) idNext & idMask);
    ids[s] = h;
    ids[s + 1] = -1;
    if (2 * (tableCount + 1) > tableMask + 1) {
      rehash(2 * (tableMask + 1));
    }
    insert(h, idNext);
    return idNext++;
  }

  private void insert(long h, long id) {
    int mask = tableMask;
    int p = home(h, mask);
    while (table[2 * p] != 0) {
      p = (p + 1) & mask;
    }
    table[2 * p] = h;
    table[2 * p + 1] = id;
    tableCount++;
  }

  /** Removes {@code h} from the table, shifting later entries of its probe run back. */
  private void remove(long h) {
    int mask = tableMask;
    int i = home(h, mask);
    while (table[2 * i] != h) {
      if (table[2 * i] == 0) {
        return;
      }
      i = (i + 1) & mask;
    }
    tableCount--;
    for (int j = i; ; ) {
      table[2 * i] = 0;
      while (true) {
        j = (j + 1) & mask;
        long k = table[2 * j];
        if (k == 0) {
          return;
        }
        int home = home(k, mask);
        // The entry at j stays if its home is cyclically in (i, j]; else it moves to the hole at i.
        boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
          table[2 * i] = k;
          table[2 * i + 1] = table[2 * j + 1];
          i = j;
          break;
        }
      }
    }
  }

  private void rehash(int size) {
    long[] old = table;
    table = new long[2 * size];
    tableMask = size - 1;
    tableCount = 0;
    for (int p = 0; p < old.length; p += 2) {
      if (old[p] != 0) {
        insert(old[p], old[p + 1]);
      }
    }
  }

  private void growIds() {
    int oldMask = idMask;
    idMask = 2 * (oldMask + 1) - 1;
    ids = grownPairRing(ids, oldMask, idMask, idFirst, idNext);
  }

  /**
   * A ring of {@code (long, long)} pairs indexed by sequence number, moved from {@code old} (masked
   * with {@code oldMask}) into a new array masked with {@code newMask}: the pairs of
   * {@code [first, next)} keep their sequence numbers.
   */
  private static long[] grownPairRing(long[] old, int oldMask, int newMask, long first, long next) {
    long[] grown = new long[2 * (newMask + 1)];
    for (long seq = first; seq < next; seq++) {
      System.arraycopy(old, 2 * ((int) seq & oldMask), grown, 2 * ((int) seq & newMask), 2);
    }
    return grown;
  }

  private long newLink(long eventSeq, long older, EventRing ring) {
    if (linkNext - linkFirst == linkMask + 1) {
      if (linkMask + 1 < maxLinks && ring.isLive(links[2 * ((int) linkFirst & linkMask)])) {
        growLinks();
      } else {
        linkFirst++;
      }
    }
    int s = 2 * ((int) linkNext & linkMask);
    links[s] = eventSeq;
    links[s + 1] = older;
    return linkNext++;
  }

  private void growLinks() {
    int oldMask = linkMask;
    linkMask = 2 * (oldMask + 1) - 1;
    links = grownPairRing(links, oldMask, linkMask, linkFirst, linkNext);
  }
}

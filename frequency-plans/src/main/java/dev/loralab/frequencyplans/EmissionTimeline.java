package dev.loralab.frequencyplans;

/**
 * The emissions of one sub-band as a function of time, answering the questions of
 * {@link DutyCycleLedger} in logarithmic time. Not thread-safe; the ledger guards each timeline with
 * its own monitor.
 *
 * <p>Times are nanoseconds; {@code W} is the window length. For a window starting at {@code ws}, the
 * recorded usage {@code U(ws)} is the airtime of all emissions inside {@code [ws, ws + W]}. Each
 * emission {@code [a, b]} adds to {@code U} a trapezoid that is zero outside {@code [a - W, b]} and
 * bends at {@code a - W, b - W, a, b}; so {@code U} is continuous and piecewise linear, and its
 * breakpoints are those four instants of every emission.
 *
 * <p>The timeline keeps a treap keyed by breakpoint (an instant shared by several emissions is one
 * node). Each node holds
 * <ul>
 *   <li>{@code d}: emissions starting minus emissions ending at that instant; with subtree sums of
 *       {@code d} and {@code d·t}, the cumulative airtime {@code A(t)} before any instant {@code t}
 *       is a prefix query, and {@code U(ws) = A(ws + W) - A(ws)};
 *   <li>{@code U} at the node's instant, with the subtree maxima of {@code U(t)}, {@code U(t) + t} and
 *       {@code U(t) - t}, and a pending constant addend (lazy propagation).
 * </ul>
 * Adding or forgetting an emission adds its trapezoid to the stored {@code U}: a constant on the
 * plateau (lazily, O(log n)) and point updates on the two slopes, which have the emission's airtime
 * as length, so their cost grows only with the breakpoints that fall inside them.
 *
 * <p>Sums use {@code long} arithmetic that may wrap in intermediate terms (instants times counts);
 * two's-complement arithmetic is exact modulo 2<sup>64</sup>, and every result (an airtime) fits in a
 * {@code long}, so the results are exact.
 */
final class EmissionTimeline {
  private static final long NONE = Long.MIN_VALUE;
  /** Contribution to {@code d} of an emission's breakpoints {@code a - W, b - W, a, b}. */
  private static final long[] STARTS_ENDS = {0, 0, 1, -1};

  private final long window;
  private Node root;
  private long priorities;
  // Recorded emissions as a binary min-heap on their end, to forget the ones that left the window.
  private long[] heapEnds = new long[16];
  private long[] heapStarts = new long[16];
  private int heapSize;

  EmissionTimeline(long windowNanos, long seed) {
    this.window = windowNanos;
    this.priorities = seed;
  }

  /** Records the emission {@code [start, end]}. */
  void add(long start, long end) {
    if (end <= start) {
      return; // no airtime, no effect on any window
    }
    heapPush(start, end);
    applyTrapezoid(start, end, 1);
    Node[] created = new Node[4];
    int n = 0;
    long[] points = {start - window, end - window, start, end};
    for (int i = 0; i < points.length; i++) {
      createdNode = null;
      root = upsert(root, points[i], 1, STARTS_ENDS[i]);
      if (createdNode != null) {
        created[n++] = createdNode;
      }
    }
    for (int i = 0; i < n; i++) {
      long p = created[i].key;
      root = assign(root, p, usage(p));
    }
  }

  /** Forgets the emissions that ended before {@code horizon}. */
  void forgetEndedBefore(long horizon) {
    while (heapSize > 0 && heapEnds[0] < horizon) {
      long start = heapStarts[0];
      long end = heapEnds[0];
      heapPop();
      applyTrapezoid(start, end, -1);
      long[] points = {start - window, end - window, start, end};
      for (int i = 0; i < points.length; i++) {
        root = upsert(root, points[i], -1, -STARTS_ENDS[i]);
      }
    }
  }

  /** Recorded airtime inside {@code [from, to]}. */
  long overlap(long from, long to) {
    return cumulative(to) - cumulative(from);
  }

  /**
   * The largest usage of any window of length {@code W} overlapping {@code [start, end]}, counting
   * that emission too: the maximum over {@code ws} in {@code [start - W, end]} of
   * {@code U(ws) + |[start, end] ∩ [ws, ws + W]|}. Requires {@code end - start <= W}.
   */
  long peakUsageWith(long start, long end) {
    long airtime = end - start;
    // The new emission's share is linear on three pieces of the range of window starts:
    // rising on [start - W, end - W], full on [end - W, start], falling on [start, end].
    long risingFrom = start - window;
    long fullFrom = end - window;
    long best = Math.max(
        Math.max(usage(risingFrom), usage(fullFrom) + airtime),
        Math.max(usage(start) + airtime, usage(end)));
    long rising = maxPlusKey(root, risingFrom, fullFrom, 1);
    if (rising != NONE) {
      best = Math.max(best, rising + window - start);
    }
    long full = maxPlusKey(root, fullFrom, start, 0);
    if (full != NONE) {
      best = Math.max(best, full + airtime);
    }
    long falling = maxPlusKey(root, start, end, -1);
    if (falling != NONE) {
      best = Math.max(best, falling + end);
    }
    return best;
  }

  /** {@code U(ws)}: recorded airtime inside {@code [ws, ws + W]}. */
  private long usage(long windowStart) {
    return overlap(windowStart, windowStart + window);
  }

  /** Airtime of all emissions before {@code t}: the sum over instants {@code p <= t} of {@code d(p)·(t - p)}. */
  private long cumulative(long t) {
    long sumD = 0;
    long sumDp = 0;
    Node n = root;
    while (n != null) {
      if (n.key <= t) {
        if (n.left != null) {
          sumD += n.left.sumD;
          sumDp += n.left.sumDp;
        }
        sumD += n.d;
        sumDp += n.d * n.key;
        n = n.right;
      } else {
        n = n.left;
      }
    }
    return t * sumD - sumDp;
  }

  /** Adds {@code sign} times the trapezoid of emission {@code [a, b]} to the stored usage. */
  private void applyTrapezoid(long a, long b, int sign) {
    long plateauFrom = Math.min(a, b - window);
    long plateauTo = Math.max(a, b - window);
    long plateau = sign * Math.min(b - a, window);
    root = addPointwise(root, a - window, plateauFrom - 1, a, b, sign);
    root = addConstant(root, plateauFrom, plateauTo, plateau);
    root = addPointwise(root, plateauTo + 1, b, a, b, sign);
  }

  private long trapezoid(long ws, long a, long b) {
    return Math.max(0, Math.min(b, ws + window) - Math.max(a, ws));
  }

  // --- treap -------------------------------------------------------------------------------

  private static final class Node {
    final long key;
    final long priority;
    Node left;
    Node right;
    int refs;
    long d;
    long usage;
    long pending;
    long minKey;
    long maxKey;
    long sumD;
    long sumDp;
    long maxUsage;
    long maxUsagePlusKey;
    long maxUsageMinusKey;

    Node(long key, long priority) {
      this.key = key;
      this.priority = priority;
    }
  }

  private Node createdNode;

  private long nextPriority() {
    // SplitMix64: deterministic, well spread priorities.
    long z = (priorities += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void shift(Node n, long c) {
    if (n != null) {
      n.usage += c;
      n.maxUsage += c;
      n.maxUsagePlusKey += c;
      n.maxUsageMinusKey += c;
      n.pending += c;
    }
  }

  private static void push(Node n) {
    if (n.pending != 0) {
      shift(n.left, n.pending);
      shift(n.right, n.pending);
      n.pending = 0;
    }
  }

  private static void pull(Node n) {
    n.minKey = n.key;
    n.maxKey = n.key;
    n.sumD = n.d;
    n.sumDp = n.d * n.key;
    n.maxUsage = n.usage;
    n.maxUsagePlusKey = n.usage + n.key;
    n.maxUsageMinusKey = n.usage - n.key;
    Node l = n.left;
    if (l != null) {
      n.minKey = l.minKey;
      n.sumD += l.sumD;
      n.sumDp += l.sumDp;
      n.maxUsage = Math.max(n.maxUsage, l.maxUsage);
      n.maxUsagePlusKey = Math.max(n.maxUsagePlusKey, l.maxUsagePlusKey);
      n.maxUsageMinusKey = Math.max(n.maxUsageMinusKey, l.maxUsageMinusKey);
    }
    Node r = n.right;
    if (r != null) {
      n.maxKey = r.maxKey;
      n.sumD += r.sumD;
      n.sumDp += r.sumDp;
      n.maxUsage = Math.max(n.maxUsage, r.maxUsage);
      n.maxUsagePlusKey = Math.max(n.maxUsagePlusKey, r.maxUsagePlusKey);
      n.maxUsageMinusKey = Math.max(n.maxUsageMinusKey, r.maxUsageMinusKey);
    }
  }

  private static Node rotateRight(Node n) {
    Node l = n.left;
    push(l);
    n.left = l.right;
    pull(n);
    l.right = n;
    pull(l);
    return l;
  }

  private static Node rotateLeft(Node n) {
    Node r = n.right;
    push(r);
    n.right = r.left;
    pull(n);
    r.left = n;
    pull(r);
    return r;
  }

  private static Node merge(Node a, Node b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    if (a.priority > b.priority) {
      push(a);
      a.right = merge(a.right, b);
      pull(a);
      return a;
    }
    push(b);
    b.left = merge(a, b.left);
    pull(b);
    return b;
  }

  /** Adds {@code refs} references and {@code d} to the node at {@code key}, creating or removing it. */
  private Node upsert(Node n, long key, int refs, long d) {
    if (n == null) {
      Node created = new Node(key, nextPriority());
      created.refs = refs;
      created.d = d;
      pull(created);
      createdNode = created;
      return created;
    }
    push(n);
    if (key == n.key) {
      n.refs += refs;
      n.d += d;
      if (n.refs == 0) {
        return merge(n.left, n.right);
      }
      pull(n);
      return n;
    }
    if (key < n.key) {
      n.left = upsert(n.left, key, refs, d);
      if (n.left != null && n.left.priority > n.priority) {
        pull(n);
        return rotateRight(n);
      }
    } else {
      n.right = upsert(n.right, key, refs, d);
      if (n.right != null && n.right.priority > n.priority) {
        pull(n);
        return rotateLeft(n);
      }
    }
    pull(n);
    return n;
  }

  /** Sets the usage stored at {@code key} (which exists). */
  private static Node assign(Node n, long key, long usage) {
    push(n);
    if (key == n.key) {
      n.usage = usage;
    } else if (key < n.key) {
      assign(n.left, key, usage);
    } else {
      assign(n.right, key, usage);
    }
    pull(n);
    return n;
  }

  private static Node addConstant(Node n, long from, long to, long c) {
    if (n == null || from > to || n.maxKey < from || n.minKey > to) {
      return n;
    }
    if (from <= n.minKey && n.maxKey <= to) {
      shift(n, c);
      return n;
    }
    push(n);
    if (n.key >= from && n.key <= to) {
      n.usage += c;
    }
    addConstant(n.left, from, to, c);
    addConstant(n.right, from, to, c);
    pull(n);
    return n;
  }

  private Node addPointwise(Node n, long from, long to, long a, long b, int sign) {
    if (n == null || from > to || n.maxKey < from || n.minKey > to) {
      return n;
    }
    push(n);
    if (n.key >= from && n.key <= to) {
      n.usage += sign * trapezoid(n.key, a, b);
    }
    addPointwise(n.left, from, to, a, b, sign);
    addPointwise(n.right, from, to, a, b, sign);
    pull(n);
    return n;
  }

  /** Maximum of {@code U(t) + slope·t} over stored instants {@code t} in {@code [from, to]}, or {@link #NONE}. */
  private static long maxPlusKey(Node n, long from, long to, int slope) {
    if (n == null || from > to || n.maxKey < from || n.minKey > to) {
      return NONE;
    }
    if (from <= n.minKey && n.maxKey <= to) {
      return slope > 0 ? n.maxUsagePlusKey : slope < 0 ? n.maxUsageMinusKey : n.maxUsage;
    }
    push(n);
    long best = NONE;
    if (n.key >= from && n.key <= to) {
      best = n.usage + slope * n.key;
    }
    best = Math.max(best, maxPlusKey(n.left, from, to, slope));
    return Math.max(best, maxPlusKey(n.right, from, to, slope));
  }

  // --- heap of emissions by end ------------------------------------------------------------

  private void heapPush(long start, long end) {
    if (heapSize == heapEnds.length) {
      heapEnds = java.util.Arrays.copyOf(heapEnds, heapSize * 2);
      heapStarts = java.util.Arrays.copyOf(heapStarts, heapSize * 2);
    }
    int i = heapSize++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heapEnds[parent] <= end) {
        break;
      }
      heapEnds[i] = heapEnds[parent];
      heapStarts[i] = heapStarts[parent];
      i = parent;
    }
    heapEnds[i] = end;
    heapStarts[i] = start;
  }

  private void heapPop() {
    long end = heapEnds[--heapSize];
    long start = heapStarts[heapSize];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= heapSize) {
        break;
      }
      if (child + 1 < heapSize && heapEnds[child + 1] < heapEnds[child]) {
        child++;
      }
      if (heapEnds[child] >= end) {
        break;
      }
      heapEnds[i] = heapEnds[child];
      heapStarts[i] = heapStarts[child];
      i = child;
    }
    if (heapSize > 0) {
      heapEnds[i] = end;
      heapStarts[i] = start;
    }
  }
}

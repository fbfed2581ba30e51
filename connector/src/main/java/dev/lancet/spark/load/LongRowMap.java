package dev.lancet.spark.load;

import java.util.Arrays;

/**
 * Integer keys to row offsets, in two arrays (open addressing, linear probing): about 20 bytes a
 * key where a {@code HashMap<Long, Long>} takes about 80, and no boxing per lookup. What each
 * worker of a load holds for the staged source's keys: 1M keys take about 20 MB.
 */
final class LongRowMap {
  private static final int EMPTY = -1;

  private long[] keys;
  private int[] rows;
  private int size;
  private int mask;

  /** The most slots: 2^30 (12 GB of arrays). */
  private static final int MAX_CAPACITY = 1 << 30;

  LongRowMap(long expected) {
    long wanted = Math.max(16, (long) (expected / 0.6));
    allocate((int) Math.min(MAX_CAPACITY, Long.highestOneBit(wanted * 2 - 1)));
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    rows = new int[capacity];
    Arrays.fill(rows, EMPTY);
    mask = capacity - 1;
    size = 0;
  }

  /** Maps {@code key} to {@code row} (a later row of the same key replaces an earlier one). */
  void put(long key, int row) {
    if (size + 1 > (mask + 1) * 0.6) {
      grow();
    }
    int at = slot(key);
    if (rows[at] == EMPTY) {
      size++;
      keys[at] = key;
    }
    rows[at] = row;
  }

  /** The row of {@code key}, or -1. */
  int get(long key) {
    return rows[slot(key)];
  }

  int size() {
    return size;
  }

  private int slot(long key) {
    int at = (int) mix(key) & mask;
    while (rows[at] != EMPTY && keys[at] != key) {
      at = (at + 1) & mask;
    }
    return at;
  }

  /** Spreads sequential keys over the table (Murmur3's 64-bit finalizer). */
  private static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    return k ^ (k >>> 33);
  }

  private void grow() {
    if (mask + 1 >= MAX_CAPACITY) {
      throw new IllegalStateException(
          "more than " + (long) (MAX_CAPACITY * 0.6) + " keys for one worker's lookup");
    }
    long[] oldKeys = keys;
    int[] oldRows = rows;
    allocate((mask + 1) * 2);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldRows[i] != EMPTY) {
        put(oldKeys[i], oldRows[i]);
      }
    }
  }
}

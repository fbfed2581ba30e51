package dev.lancet.backfill.plan;

import dev.lancet.backfill.RowFreshness;
import dev.lancet.backfill.RowState;
import dev.lancet.backfill.store.ErrorRecords;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.UdfSpec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.Dataset;
import org.lance.FragmentMetadata;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * Counts a virtual column's live rows by {@link RowState}, as {@link ColumnFreshness} judges them
 * for a backfill; reads only (what the history explains is not recorded). From the column's state
 * and error records alone, except fragments with deleted rows whose rows are not all in one state
 * (one scan of their row addresses) and, under a filter, the rows it selects.
 */
public final class ColumnRows {
  private ColumnRows() {}

  /**
   * Every live row of {@code column}.
   *
   * @param spec the column's spec with the code a backfill would run now
   */
  public static RowFreshness count(
      Dataset dataset,
      TableLocation table,
      String column,
      UdfSpec spec,
      BufferAllocator allocator) {
    return counted(
            ColumnFreshness.assess(dataset, table, column, spec, allocator),
            dataset,
            table,
            column,
            null,
            null,
            Map.of(),
            allocator)
        .rows();
  }

  /**
   * Rows by state, and how many fragments have rows not current among them.
   *
   * @param rows the rows by state
   * @param toCompute rows not current, by fragment (fragments with none are absent)
   */
  record Counted(RowFreshness rows, Map<Integer, Long> toCompute) {
    static final Counted NONE = new Counted(RowFreshness.NONE, Map.of());
  }

  /**
   * The live rows of {@code only}'s fragments (all when null) that {@code filter} selects (all when
   * null), by state; in a fragment of {@code caps} (a pilot's), only its first rows not current up
   * to the cap, in the order a backfill computes them.
   */
  static Counted counted(
      ColumnFreshness.Assessment assessment,
      Dataset dataset,
      TableLocation table,
      String column,
      String filter,
      Set<Integer> only,
      Map<Integer, Long> caps,
      BufferAllocator allocator) {
    long[] counts = new long[RowState.values().length];
    Map<Integer, Long> withWork = new HashMap<>();
    Tally tally = new Tally(counts, withWork, caps);
    Map<Integer, ColumnFreshness.FragmentState> toScan = new HashMap<>();
    Map<Integer, BitSet> failed = null;
    for (ColumnFreshness.FragmentState f : assessment.fragments()) {
      FragmentMetadata meta = f.meta();
      if (only != null && !only.contains(meta.getId())) {
        continue;
      }
      if (filter == null && f.all()) {
        tally.add(meta.getId(), RowState.CURRENT, meta.getNumRows());
      } else if (filter == null && f.current() == null) {
        tally.add(meta.getId(), RowState.NEW, meta.getNumRows());
      } else if (filter == null && meta.getNumRows() == meta.getPhysicalRows()) {
        failed = failed != null ? failed : ErrorRecords.failedSlots(table, column, allocator);
        BitSet failedHere = failed.getOrDefault(meta.getId(), new BitSet());
        if (caps.containsKey(meta.getId())) {
          // A pilot's cut fragment: its first rows not current, in the order they are computed.
          for (long slot = 0; slot < meta.getPhysicalRows(); slot++) {
            tally.add(meta.getId(), state(f, failedHere, slot), 1);
          }
        } else {
          countBySets(f, failedHere, tally);
        }
      } else {
        toScan.put(meta.getId(), f);
      }
    }
    if (!toScan.isEmpty()) {
      Map<Integer, BitSet> failedSlots =
          failed != null ? failed : ErrorRecords.failedSlots(table, column, allocator);
      scanLiveRows(
          dataset,
          new ArrayList<>(toScan.keySet()),
          filter,
          (fragment, slot) ->
              tally.add(
                  fragment,
                  state(
                      toScan.get(fragment), failedSlots.getOrDefault(fragment, new BitSet()), slot),
                  1));
    }
    EnumMap<RowState, Long> byState = new EnumMap<>(RowState.class);
    for (RowState s : RowState.values()) {
      byState.put(s, counts[s.ordinal()]);
    }
    return new Counted(new RowFreshness(byState), withWork);
  }

  /**
   * Adds rows by state, and the rows not current by fragment; a capped fragment's rows not current
   * only up to its cap.
   */
  private record Tally(long[] counts, Map<Integer, Long> toCompute, Map<Integer, Long> caps) {
    void add(int fragment, RowState state, long rows) {
      if (state == RowState.CURRENT) {
        counts[state.ordinal()] += rows;
        return;
      }
      long cap = caps.getOrDefault(fragment, 0L);
      long n =
          cap > 0 ? Math.max(0, Math.min(rows, cap - toCompute.getOrDefault(fragment, 0L))) : rows;
      if (n > 0) {
        counts[state.ordinal()] += n;
        toCompute.merge(fragment, n, Long::sum);
      }
    }
  }

  /**
   * Counts a fragment without deleted rows by state with set operations on its bitmaps, not slot by
   * slot: a table of 1M-row fragments would otherwise cost a loop per row.
   */
  private static void countBySets(ColumnFreshness.FragmentState f, BitSet failedHere, Tally tally) {
    int id = f.meta().getId();
    int physical = (int) f.meta().getPhysicalRows();
    BitSet rest = new BitSet(physical);
    rest.set(0, physical);
    rest.andNot(f.fresh().toBitSet());
    tally.add(id, RowState.CURRENT, physical - rest.cardinality());
    HeldValues held = f.stale().held();
    if (held != null) {
      if (held.all()) {
        tally.add(id, held.state(), rest.cardinality());
        return;
      }
      BitSet heldHere = held.slots().toBitSet();
      heldHere.and(rest);
      tally.add(id, held.state(), heldHere.cardinality());
      rest.andNot(heldHere);
    }
    BitSet failedRest = (BitSet) failedHere.clone();
    failedRest.and(rest);
    tally.add(id, RowState.FAILED, failedRest.cardinality());
    rest.andNot(failedRest);
    tally.add(id, f.stale().rest(), rest.cardinality());
  }

  /** The state of the live row at {@code slot} of {@code f}. */
  private static RowState state(ColumnFreshness.FragmentState f, BitSet failed, long slot) {
    if (f.all() || f.fresh().contains(slot)) {
      return RowState.CURRENT;
    }
    if (f.stale().holds(slot)) {
      return f.stale().held().state();
    }
    return failed.get((int) slot) ? RowState.FAILED : f.stale().rest();
  }

  private interface SlotVisitor {
    void visit(int fragment, long slot);
  }

  /** Visits the live rows of {@code fragments} that {@code filter} selects (all when null). */
  private static void scanLiveRows(
      Dataset dataset, List<Integer> fragments, String filter, SlotVisitor visitor) {
    ScanOptions.Builder options =
        new ScanOptions.Builder()
            .fragmentIds(fragments)
            .columns(List.of())
            .withRowAddress(true)
            .batchSize(65_536);
    if (filter != null) {
      options.filter(filter);
    }
    try (LanceScanner scanner = dataset.newScan(options.build());
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        UInt8Vector addresses =
            (UInt8Vector) reader.getVectorSchemaRoot().getVector(LanceDatasets.ROW_ADDRESS);
        for (int i = 0; i < addresses.getValueCount(); i++) {
          long address = addresses.get(i);
          visitor.visit((int) (address >>> 32), address & 0xFFFFFFFFL);
        }
      }
    } catch (Exception e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR, e, "cannot read the rows of fragments " + fragments);
    }
  }
}

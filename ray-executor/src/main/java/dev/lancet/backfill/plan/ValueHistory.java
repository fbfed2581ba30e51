package dev.lancet.backfill.plan;

import dev.lancet.backfill.store.ColumnState;
import dev.lancet.backfill.store.FragmentInputs;
import dev.lancet.backfill.store.Slots;
import dev.lancet.lance.ColumnFile;
import dev.lancet.lance.ColumnLayout;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.Transaction;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;
import org.lance.operation.DataReplacement;
import org.lance.operation.Rewrite;
import org.lance.operation.RewriteGroup;
import org.lance.operation.Update;

// Longer than 300 lines: one walk over the history, whose four kinds of transactions share its
// bookkeeping (the fragments still to explain).
/**
 * Explains, from the table's transaction history, which rows of a column hold current values in a
 * fragment whose column file no run of ours recorded for this column. Walking back from the latest
 * version to the transaction that wrote the file:
 *
 * <ul>
 *   <li>a Lancet backfill of another column that rewrote a file shared with this one (its {@code
 *       lancet.column} property names the other column) copied this column's values as they were:
 *       the file it replaced is explained instead, from the state or further back;
 *   <li>a compaction ({@code Rewrite}) moved rows whole: when every old fragment held current
 *       values for all its rows, so does the new one;
 *   <li>an UPDATE (lance-spark commits an {@code Update} whose new fragments hold the updated rows
 *       whole, every column included, and records no modified fields) or a compaction of rows not
 *       all current: a moved row's value is current when some row that was current before the
 *       transaction, among the fragments it rewrote, had the same input values and the same value
 *       (compared by a 128-bit hash of their bytes). The UDF maps equal inputs to that value, so
 *       which row it was does not matter; an UPDATE of an input fails the match and is computed,
 *       while an UPDATE of other columns keeps this column's rows current. (Arrow's own {@code
 *       MurmurHasher} ignores letter case in a value's last bytes, so {@link RowHash} hashes the
 *       values' bytes itself.)
 * </ul>
 *
 * Anything else (an append that carried the column, a history older than {@link #MAX_VERSIONS}
 * versions) is computed. The input files must be the same at the explained version as now, or
 * nothing is current.
 */
final class ValueHistory {
  /** How far back the history is searched for the transaction that wrote a fragment's file. */
  static final int MAX_VERSIONS = 64;

  /**
   * The rows found current: whole fragments, and some rows of others; and the fragments whose file
   * an UPDATE wrote (their other rows had an input updated, or were not current before it).
   */
  record Explanation(Set<Integer> all, Map<Integer, Slots> some, Set<Integer> updated) {
    static final Explanation NONE = new Explanation(Set.of(), Map.of(), Set.of());
  }

  /** What the column's values depend on, for one column. */
  record Column(
      String name,
      List<String> inputs,
      String udfVersion,
      Set<Integer> inputFieldIds,
      ColumnLayout layout,
      ColumnState.Snapshot state) {}

  /** A fragment being explained: the file to explain and its input identity now. */
  private record Pending(int id, String file, String inputs) {}

  private ValueHistory() {}

  static Explanation explain(
      Dataset dataset,
      TableLocation table,
      List<FragmentMetadata> unexplained,
      Column column,
      BufferAllocator allocator) {
    Map<Integer, Pending> wanted = new HashMap<>();
    for (FragmentMetadata m : unexplained) {
      ColumnFile file = ColumnFile.in(m, column.layout());
      wanted.put(
          m.getId(),
          new Pending(
              m.getId(), file.path(), FragmentInputs.of(m, column.inputFieldIds(), file.path())));
    }
    Set<Integer> all = new HashSet<>();
    Map<Integer, Slots> some = new HashMap<>();
    Set<Integer> updated = new HashSet<>();
    long latest = dataset.version();
    for (long v = latest; v > 1 && v > latest - MAX_VERSIONS && !wanted.isEmpty(); v--) {
      Optional<Transaction> transaction;
      try (Dataset at = dataset.checkoutVersion(v)) {
        transaction = at.readTransaction();
      } catch (RuntimeException e) {
        break; // older versions cleaned up: nothing more to learn
      }
      if (transaction.isEmpty()) {
        continue;
      }
      Object operation = transaction.get().operation();
      if (operation instanceof DataReplacement replacement) {
        String by =
            transaction.get().transactionProperties().map(p -> p.get("lancet.column")).orElse(null);
        followReplacement(dataset, v, replacement, by, column, wanted, all, some);
      } else if (operation instanceof Rewrite rewrite) {
        for (RewriteGroup group : rewrite.groups()) {
          List<FragmentMetadata> moved =
              group.newFragments().stream().filter(f -> writes(wanted, f)).toList();
          if (moved.isEmpty()) {
            continue;
          }
          if (group.oldFragments().stream().allMatch(old -> fullyCurrent(old, column))) {
            moved.forEach(f -> all.add(wanted.remove(f.getId()).id()));
          } else {
            match(table, v, group.oldFragments(), moved, column, wanted, some, allocator);
          }
        }
      } else if (operation instanceof Update update) {
        // New fragments carry no id in the transaction (Lance assigns them at commit): the
        // fragments are found by the files they hold, as they are at this version.
        List<FragmentMetadata> moved = createdBy(dataset, v, update.newFragments(), wanted);
        if (!moved.isEmpty()) {
          moved.forEach(f -> updated.add(f.getId()));
          List<FragmentMetadata> old = oldFragments(dataset, v, update);
          match(table, v, old, moved, column, wanted, some, allocator);
        }
      }
      // A transaction that wrote a wanted file in some other way explains nothing: computed.
      for (Pending p : List.copyOf(wanted.values())) {
        if (p.file() != null && writtenAt(operation, p)) {
          wanted.remove(p.id());
        }
      }
    }
    return new Explanation(all, some, updated);
  }

  /**
   * A backfill of another column replaced a file this column shares: look for this column's values
   * in the file it replaced.
   */
  private static void followReplacement(
      Dataset dataset,
      long v,
      DataReplacement replacement,
      String by,
      Column column,
      Map<Integer, Pending> wanted,
      Set<Integer> all,
      Map<Integer, Slots> some) {
    List<Pending> replaced = new ArrayList<>();
    for (DataReplacement.DataReplacementGroup g : replacement.replacements()) {
      Pending p = wanted.get((int) g.fragmentId());
      if (p == null || !g.replacedFile().getPath().equals(p.file())) {
        continue;
      }
      if (by == null || by.equals(column.name())) {
        wanted.remove(p.id()); // not a copy of this column's values
      } else {
        replaced.add(p);
      }
    }
    if (replaced.isEmpty()) {
      return;
    }
    Map<Integer, FragmentMetadata> previous =
        fragmentsAt(dataset, v - 1, replaced.stream().map(Pending::id).toList());
    for (Pending p : replaced) {
      FragmentMetadata before = previous.get(p.id());
      ColumnFile file = before == null ? null : ColumnFile.in(before, column.layout());
      String inputs =
          file == null ? null : FragmentInputs.of(before, column.inputFieldIds(), file.path());
      if (file == null || !p.inputs().equals(inputs)) {
        wanted.remove(p.id());
        continue;
      }
      ColumnState.Entry entry = column.state().byFile().get(file.path());
      if (entry != null) {
        wanted.remove(p.id());
        if (current(entry, before, column)) {
          if (entry.currentSlots() == null) {
            all.add(p.id());
          } else {
            some.put(p.id(), Slots.fromBytes(entry.currentSlots()));
          }
        }
      } else {
        wanted.put(p.id(), new Pending(p.id(), file.path(), p.inputs()));
      }
    }
  }

  /**
   * Marks the rows of {@code moved} whose inputs and value equal those of a current row of {@code
   * old} (both as of the transaction at {@code v}).
   */
  private static void match(
      TableLocation table,
      long v,
      List<FragmentMetadata> old,
      List<FragmentMetadata> moved,
      Column column,
      Map<Integer, Pending> wanted,
      Map<Integer, Slots> some,
      BufferAllocator allocator) {
    Map<Integer, Slots> currentOld = new HashMap<>();
    for (FragmentMetadata f : old) {
      Slots slots = currentSlots(f, column);
      if (slots != null) {
        currentOld.put(f.getId(), slots);
      }
    }
    List<Pending> consistent = new ArrayList<>();
    for (FragmentMetadata f : moved) {
      Pending p = wanted.remove(f.getId());
      ColumnFile file = ColumnFile.in(f, column.layout());
      if (file != null
          && p.inputs().equals(FragmentInputs.of(f, column.inputFieldIds(), file.path()))) {
        consistent.add(p);
      }
    }
    if (currentOld.isEmpty() || consistent.isEmpty()) {
      return;
    }
    Set<Key> known = new HashSet<>();
    scan(
        table,
        v - 1,
        List.copyOf(currentOld.keySet()),
        column,
        allocator,
        (fragment, slot, key) -> {
          Slots current = currentOld.get(fragment);
          if (current == ALL || current.contains(slot)) {
            known.add(key);
          }
        });
    Map<Integer, BitSet> found = new HashMap<>();
    scan(
        table,
        v,
        consistent.stream().map(Pending::id).toList(),
        column,
        allocator,
        (fragment, slot, key) -> {
          if (known.contains(key)) {
            found.computeIfAbsent(fragment, k -> new BitSet()).set((int) slot);
          }
        });
    found.forEach((id, bits) -> some.put(id, Slots.of(bits)));
  }

  /** Marks "every live row" among the old fragments' current slots. */
  private static final Slots ALL = Slots.of(new BitSet());

  /** A fragment's current slots as of the version its metadata comes from; null when none. */
  private static Slots currentSlots(FragmentMetadata f, Column column) {
    ColumnFile file = ColumnFile.in(f, column.layout());
    if (file == null) {
      return null;
    }
    ColumnState.Entry entry = column.state().byFile().get(file.path());
    if (entry == null || !current(entry, f, column)) {
      return null;
    }
    return entry.currentSlots() == null ? ALL : Slots.fromBytes(entry.currentSlots());
  }

  private static boolean fullyCurrent(FragmentMetadata old, Column column) {
    return ColumnFile.in(old, column.layout()) == null
        ? old.getNumRows() == 0
        : currentSlots(old, column) == ALL;
  }

  private static boolean current(ColumnState.Entry entry, FragmentMetadata f, Column column) {
    ColumnFile file = ColumnFile.in(f, column.layout());
    return entry.currentFor(
        f, column.udfVersion(), FragmentInputs.of(f, column.inputFieldIds(), file.path()));
  }

  /** The fragments an update rewrote, as they were before it. */
  private static List<FragmentMetadata> oldFragments(Dataset dataset, long v, Update update) {
    Set<Long> ids = new HashSet<>(update.removedFragmentIds());
    update.updatedFragments().forEach(f -> ids.add((long) f.getId()));
    List<FragmentMetadata> old = new ArrayList<>();
    try (Dataset before = dataset.checkoutVersion(v - 1)) {
      for (Fragment f : before.getFragments()) {
        if (ids.contains((long) f.getId())) {
          old.add(f.metadata());
        }
      }
    }
    return old;
  }

  /** The fragments of {@code ids} that version {@code v} has, by id: one checkout for them all. */
  private static Map<Integer, FragmentMetadata> fragmentsAt(
      Dataset dataset, long v, List<Integer> ids) {
    Map<Integer, FragmentMetadata> found = new HashMap<>();
    try (Dataset at = dataset.checkoutVersion(v)) {
      for (int id : ids) {
        try {
          Fragment f = at.getFragment(id);
          if (f != null) {
            found.put(id, f.metadata());
          }
        } catch (RuntimeException gone) {
          // deleted or compacted away by then
        }
      }
    }
    return found;
  }

  /** The wanted fragments, as of version {@code v}, holding a file of {@code created}. */
  private static List<FragmentMetadata> createdBy(
      Dataset dataset, long v, List<FragmentMetadata> created, Map<Integer, Pending> wanted) {
    Set<String> files = new HashSet<>();
    created.forEach(f -> f.getFiles().forEach(d -> files.add(d.getPath())));
    List<Integer> ids =
        wanted.values().stream().filter(p -> files.contains(p.file())).map(Pending::id).toList();
    return ids.isEmpty() ? List.of() : List.copyOf(fragmentsAt(dataset, v, ids).values());
  }

  private static boolean writes(Map<Integer, Pending> wanted, FragmentMetadata f) {
    Pending p = wanted.get(f.getId());
    return p != null && f.getFiles().stream().anyMatch(d -> d.getPath().equals(p.file()));
  }

  /**
   * Whether the transaction created the pending fragment with its file (an append, or new rows of
   * an update): then nothing earlier explains it.
   */
  private static boolean writtenAt(Object operation, Pending p) {
    List<FragmentMetadata> created = new ArrayList<>();
    if (operation instanceof org.lance.operation.Append append) {
      created.addAll(append.fragments());
    } else if (operation instanceof Update update) {
      created.addAll(update.newFragments());
    } else if (operation instanceof org.lance.operation.Overwrite overwrite) {
      created.addAll(overwrite.fragments());
    }
    // By file alone: new fragments carry no id in the transaction.
    return created.stream()
        .anyMatch(f -> f.getFiles().stream().anyMatch(d -> d.getPath().equals(p.file())));
  }

  /** A row's inputs and value, as two 64-bit hashes. */
  private record Key(long first, long second) {}

  private interface RowVisitor {
    void row(int fragment, long slot, Key key);
  }

  /** Scans the column and its inputs of {@code fragments} at version {@code v}. */
  private static void scan(
      TableLocation table,
      long v,
      List<Integer> fragments,
      Column column,
      BufferAllocator allocator,
      RowVisitor visitor) {
    List<String> columns = new ArrayList<>(column.inputs().stream().distinct().toList());
    columns.add(column.name());
    try (Dataset at = LanceDatasets.open(allocator, table, v);
        LanceScanner scanner =
            at.newScan(
                new ScanOptions.Builder()
                    .fragmentIds(fragments)
                    .columns(columns)
                    .withRowAddress(true)
                    .batchSize(8192)
                    .build());
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot batch = reader.getVectorSchemaRoot();
        UInt8Vector addresses = (UInt8Vector) batch.getVector(LanceDatasets.ROW_ADDRESS);
        List<FieldVector> vectors = columns.stream().map(batch::getVector).toList();
        RowHash hash = new RowHash();
        for (int i = 0; i < batch.getRowCount(); i++) {
          hash.reset();
          for (FieldVector vector : vectors) {
            hash.add(vector, i);
          }
          long address = addresses.get(i);
          visitor.row(
              (int) (address >>> 32), address & 0xFFFFFFFFL, new Key(hash.first(), hash.second()));
        }
      }
    } catch (Exception e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR, e, "cannot read the table's history at version " + v);
    }
  }
}

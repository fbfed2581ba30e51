package dev.lancet.backfill.plan;

import dev.lancet.backfill.RowState;
import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.store.ColumnState;
import dev.lancet.backfill.store.FragmentInputs;
import dev.lancet.backfill.store.Slots;
import dev.lancet.backfill.store.StaleSlots;
import dev.lancet.lance.ColumnFile;
import dev.lancet.lance.ColumnLayout;
import dev.lancet.lance.FileFormat;
import dev.lancet.lance.StoredColumn;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.UdfSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.schema.LanceField;

/**
 * Which rows of a virtual column hold a value current for a UDF version, fragment by fragment: the
 * one answer that planning a backfill and showing a column's freshness share. A row's value is
 * current when the column file its fragment holds was recorded ({@link ColumnState}) as computed
 * under this version from the input files the fragment still has, and the row was among those
 * computed (a null result is a computed value; a failed row is not); a file no run recorded is
 * explained from the table's history ({@link ValueHistory}).
 */
final class ColumnFreshness {
  private ColumnFreshness() {}

  /**
   * One fragment with rows.
   *
   * @param meta the fragment
   * @param current the file holding the column now, or null
   * @param inputs its input identity ({@link FragmentInputs})
   * @param all whether every live row is current
   * @param fresh otherwise, the slots that are
   * @param stale why the other rows are not
   */
  record FragmentState(
      FragmentMetadata meta,
      ColumnFile current,
      String inputs,
      boolean all,
      Slots fresh,
      Staleness stale) {}

  /**
   * Why a fragment's rows that are not current are not, short of a failure ({@link RowState#FAILED}
   * comes from the error records): rows the file holds values of an older version or inputs for,
   * then everything else.
   *
   * @param held the rows the file holds a stale value for, or null
   * @param rest the state of the other rows not current
   */
  record Staleness(HeldValues held, RowState rest) {
    /** No file: nothing was ever computed. */
    static final Staleness NO_FILE = new Staleness(null, RowState.NEW);

    /** Whether the file holds a stale value for the row at {@code slot}. */
    boolean holds(long slot) {
      return held != null && held.holds(slot);
    }
  }

  /** The stale values a file recorded as partly current keeps, from its receipt; or null. */
  private static StaleSlots keptStale(ColumnState.Entry entry) {
    // Most receipts keep none: look before parsing, as planning reads every entry.
    if (entry.currentSlots() == null
        || entry.receipt() == null
        || !entry.receipt().contains("\"stale\":{")) {
      return null;
    }
    return FragmentReceipt.fromJson(entry.receipt()).file().stale();
  }

  /**
   * The column's fragments, and the state entries that explained files no run had recorded (a
   * backfill records them, so the history is read once per file; a look does not).
   */
  record Assessment(
      List<LanceField> fields,
      Set<Integer> inputFieldIds,
      ColumnLayout layout,
      ColumnState.Snapshot state,
      List<FragmentState> fragments,
      List<ColumnState.Entry> adopted) {}

  /**
   * @param spec the column's spec with the code it runs now ({@code spec.version()} is the version
   *     current values are computed under)
   */
  static Assessment assess(
      Dataset dataset,
      TableLocation table,
      String column,
      UdfSpec spec,
      BufferAllocator allocator) {
    String udfVersion = spec.version();
    List<LanceField> fields = StoredColumn.of(dataset, column).lanceFields(dataset);
    Set<Integer> inputFieldIds = TableFields.inputFieldIds(dataset, spec);
    ColumnLayout layout = ColumnLayout.of(fields, FileFormat.of(dataset));
    ColumnState.Snapshot state = new ColumnState(table).read(column, allocator);

    List<FragmentMetadata> metas = new ArrayList<>();
    for (Fragment fragment : dataset.getFragments()) {
      metas.add(fragment.metadata());
    }
    List<FragmentMetadata> unexplained = new ArrayList<>();
    Map<Integer, ColumnFile> currentFiles = new HashMap<>();
    for (FragmentMetadata meta : metas) {
      ColumnFile current = ColumnFile.in(meta, layout);
      currentFiles.put(meta.getId(), current);
      if (current != null && !state.byFile().containsKey(current.path())) {
        unexplained.add(meta);
      }
    }
    // Files no run of ours recorded for this column: the table's history may say which of their
    // rows hold current values (a compaction or an UPDATE moved them, or a backfill of another
    // column rewrote a file they share).
    ValueHistory.Explanation explained =
        unexplained.isEmpty()
            ? ValueHistory.Explanation.NONE
            : ValueHistory.explain(
                dataset,
                table,
                unexplained,
                new ValueHistory.Column(
                    column, spec.inputs(), udfVersion, inputFieldIds, layout, state),
                allocator);
    List<FragmentState> fragments = new ArrayList<>();
    List<ColumnState.Entry> adopted = new ArrayList<>();
    for (FragmentMetadata meta : metas) {
      if (meta.getNumRows() == 0) {
        continue;
      }
      ColumnFile current = currentFiles.get(meta.getId());
      String inputs =
          FragmentInputs.of(meta, inputFieldIds, current == null ? null : current.path());
      Slots fresh = Slots.none();
      boolean all = false;
      Staleness stale = Staleness.NO_FILE;
      if (current != null) {
        ColumnState.Entry entry = state.byFile().get(current.path());
        if (entry != null && entry.currentFor(meta, udfVersion, inputs)) {
          all = entry.currentSlots() == null;
          fresh = Slots.fromBytes(entry.currentSlots());
          // Rows it has no value for were left out by filters, unless it keeps stale ones.
          StaleSlots kept = keptStale(entry);
          stale =
              new Staleness(
                  kept == null ? null : new HeldValues(kept.state(), false, kept.decoded()),
                  RowState.FILTERED_OUT);
        } else if (entry != null) {
          // A new version wins over new inputs: every value of the old one is stale either way.
          RowState why =
              entry.udfVersion().equals(udfVersion)
                  ? RowState.INPUT_CHANGED
                  : RowState.VERSION_CHANGED;
          StaleSlots kept = keptStale(entry);
          Slots held = Slots.fromBytes(entry.currentSlots());
          if (kept != null && entry.currentSlots() != null) {
            java.util.BitSet union = held.toBitSet();
            union.or(kept.decoded().toBitSet());
            held = Slots.of(union);
          }
          stale =
              new Staleness(
                  new HeldValues(why, entry.currentSlots() == null, held), RowState.FILTERED_OUT);
        } else {
          fresh = explained.some().getOrDefault(meta.getId(), Slots.none());
          all =
              explained.all().contains(meta.getId())
                  || (!fresh.isEmpty() && fresh.coversAll(meta.getPhysicalRows()));
          if (all) {
            fresh = Slots.none();
          }
          // Rows an UPDATE moved and that match no current row had an input changed (or were not
          // current before it), and stay so counted once recorded; anything else the history does
          // not explain was never computed.
          boolean updated = explained.updated().contains(meta.getId());
          stale = updated ? new Staleness(null, RowState.INPUT_CHANGED) : Staleness.NO_FILE;
          StaleSlots moved =
              updated && !all
                  ? StaleSlots.kept(
                      RowState.INPUT_CHANGED, true, Slots.none(), fresh, meta.getPhysicalRows())
                  : null;
          adopted.add(
              new ColumnState.Entry(
                  column,
                  meta.getId(),
                  current.path(),
                  udfVersion,
                  inputs,
                  meta.getPhysicalRows(),
                  all ? null : fresh.bytes(),
                  "history",
                  moved == null
                      ? null
                      : FragmentReceipt.fromHistory(
                              meta.getId(), current.path(), meta.getPhysicalRows(), fresh, moved)
                          .toJson(),
                  null,
                  System.currentTimeMillis()));
        }
      }
      fragments.add(new FragmentState(meta, current, inputs, all, fresh, stale));
    }
    return new Assessment(fields, new HashSet<>(inputFieldIds), layout, state, fragments, adopted);
  }
}

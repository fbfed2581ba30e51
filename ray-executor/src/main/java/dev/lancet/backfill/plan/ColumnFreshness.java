package dev.lancet.backfill.plan;

import dev.lancet.backfill.store.ColumnState;
import dev.lancet.backfill.store.FragmentInputs;
import dev.lancet.backfill.store.Slots;
import dev.lancet.lance.ColumnFile;
import dev.lancet.lance.ColumnLayout;
import dev.lancet.lance.FileFormat;
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
   */
  record FragmentState(
      FragmentMetadata meta, ColumnFile current, String inputs, boolean all, Slots fresh) {}

  /**
   * The column's fragments, and the state entries that explained files no run had recorded (a
   * backfill records them, so the history is read once per file; a look does not).
   */
  record Assessment(
      LanceField field,
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
    LanceField field = TableFields.field(dataset, column);
    Set<Integer> inputFieldIds = TableFields.inputFieldIds(dataset, spec);
    ColumnLayout layout = ColumnLayout.of(field, FileFormat.of(dataset));
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
      if (current != null) {
        ColumnState.Entry entry = state.byFile().get(current.path());
        if (entry != null && entry.currentFor(meta, udfVersion, inputs)) {
          all = entry.currentSlots() == null;
          fresh = Slots.fromBytes(entry.currentSlots());
        } else if (entry == null) {
          fresh = explained.some().getOrDefault(meta.getId(), Slots.none());
          all =
              explained.all().contains(meta.getId())
                  || (!fresh.isEmpty() && fresh.coversAll(meta.getPhysicalRows()));
          if (all) {
            fresh = Slots.none();
          }
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
                  null,
                  null,
                  System.currentTimeMillis()));
        }
      }
      fragments.add(new FragmentState(meta, current, inputs, all, fresh));
    }
    return new Assessment(field, new HashSet<>(inputFieldIds), layout, state, fragments, adopted);
  }
}

package dev.lancet.backfill.compute;

import dev.lancet.backfill.BackfillException;
import dev.lancet.lance.Closing;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One scan of several columns' inputs, read once and handed to each column's {@link View} (each
 * column computes in its own thread). The scan moves in step: a batch's rows stay loaded until
 * every open view has taken or skipped them, so memory stays one scanned batch however many columns
 * share it. Each view gets its own slice of the rows (its own vectors over the same buffers) and
 * may skip fragments its column does not read, as with a {@link GroupScan} of its own.
 */
final class SharedScan implements AutoCloseable {
  private final GroupScan scan;
  private final List<View> views = new ArrayList<>();
  private GroupScan.Chunk chunk;
  private long loaded = -1; // the index of the chunk in hand; -1 before the first
  private boolean exhausted;
  private Exception failure; // the scan's, thrown to every view that asks after it

  SharedScan(GroupScan scan) {
    this.scan = scan;
  }

  /** A new column's view; every view must be taken before any is read. */
  synchronized View view() {
    View view = new View();
    views.add(view);
    return view;
  }

  /** One column's rows of the shared scan. Closing it lets the others go on without it. */
  final class View implements RowSource, AutoCloseable {
    private long next; // the index of the first chunk this view has not taken or skipped
    private VectorSchemaRoot handedOut;

    @Override
    public VectorSchemaRoot next(int fragmentId) throws Exception {
      return SharedScan.this.next(this, fragmentId);
    }

    @Override
    public void close() {
      SharedScan.this.remove(this);
    }
  }

  private synchronized VectorSchemaRoot next(View view, int fragmentId) throws Exception {
    release(view);
    Integer wanted = scan.positionOf(fragmentId);
    if (wanted == null) {
      throw new IllegalArgumentException("fragment " + fragmentId + " is not in this scan");
    }
    while (true) {
      if (view.next > loaded) { // it has passed the chunk in hand: the next one, once all have
        while (view.next > loaded && !exhausted && failure == null && !everyViewPassed()) {
          wait();
        }
        if (failure != null) {
          throw failedElsewhere(failure);
        }
        if (view.next > loaded && !exhausted) {
          try {
            chunk = scan.nextChunk();
          } catch (Exception e) {
            failure = e;
            notifyAll();
            throw e;
          }
          loaded++;
          exhausted = chunk == null;
          notifyAll();
        }
        if (view.next > loaded) {
          return null; // the scan is over
        }
        continue;
      }
      if (chunk == null) {
        return null;
      }
      int here = scan.positionOf(chunk.fragmentId());
      if (here > wanted) {
        return null; // the scan has moved on: this fragment is done (the view stays here)
      }
      view.next = loaded + 1;
      notifyAll();
      if (here < wanted) {
        continue; // a fragment this view's column does not read
      }
      view.handedOut = chunk.batch().slice(chunk.start(), chunk.end() - chunk.start());
      return view.handedOut;
    }
  }

  /** Whether every open view is done with the chunk in hand (taken and released, or skipped). */
  private boolean everyViewPassed() {
    for (View v : views) {
      if (v.next <= loaded || v.handedOut != null) {
        return false;
      }
    }
    return true;
  }

  private void release(View view) {
    if (view.handedOut != null) {
      view.handedOut.close();
      view.handedOut = null;
    }
  }

  private synchronized void remove(View view) {
    release(view);
    views.remove(view);
    notifyAll();
  }

  @Override
  public synchronized void close() {
    List<AutoCloseable> all = new ArrayList<>();
    for (View v : views) {
      all.add(v.handedOut);
      v.handedOut = null;
    }
    views.clear();
    all.add(scan);
    chunk = null;
    Closing.all(all);
  }

  /** Thrown into a view's thread when the scan it shares failed in another. */
  private static BackfillException failedElsewhere(Exception e) {
    return new BackfillException("the scan shared with other columns failed: " + e, e);
  }
}

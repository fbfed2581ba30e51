package dev.lancet.examples;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * An N:M UDF: a video's frames in, its scenes out. A scene ends where a frame's brightness differs
 * from the one before by more than {@code threshold} (default 0.3). Called once per group of rows,
 * e.g. {@code collect_list(struct(frame, brightness))} of a video:
 *
 * <pre>{@code
 * SELECT g.video_id, s.*
 * FROM (SELECT video_id, collect_list(struct(frame, brightness)) AS frames
 *       FROM frames GROUP BY video_id) g,
 *   LATERAL lancet_explode('dev.lancet.examples.SceneDetector', g.frames) s
 * }</pre>
 */
public class SceneDetector {
  /** One frame of the group: its number and mean brightness (0 to 1). */
  public record Frame(int frame, double brightness) {}

  /** One scene: its number in the video, its first and last frame, and its frame count. */
  public record Scene(int scene, int firstFrame, int lastFrame, int frames) {}

  private final double threshold;

  public SceneDetector(Map<String, String> options) {
    this.threshold = Double.parseDouble(options.getOrDefault("threshold", "0.3"));
  }

  /** The scenes of one video's frames, in frame order whatever order the group has. */
  public List<Scene> call(List<Frame> frames) {
    List<Frame> sorted = new ArrayList<>(frames);
    sorted.sort(Comparator.comparingInt(Frame::frame));
    List<Scene> scenes = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= sorted.size(); i++) {
      boolean cut =
          i == sorted.size()
              || Math.abs(sorted.get(i).brightness() - sorted.get(i - 1).brightness()) > threshold;
      if (cut) {
        scenes.add(
            new Scene(
                scenes.size(), sorted.get(start).frame(), sorted.get(i - 1).frame(), i - start));
        start = i;
      }
    }
    return scenes;
  }
}

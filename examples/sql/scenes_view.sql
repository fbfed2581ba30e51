-- N:M UDFs: a video's frames in, its scenes out. SceneDetector is called once per group of rows
-- (collect_list of a video's frames); as a materialized view PARTITION BY (video_id), a refresh
-- computes again exactly the videos that have a new, changed or deleted frame.
-- Run it with: bin/lancet-sql -f examples/sql/scenes_view.sql

DROP MATERIALIZED VIEW IF EXISTS video_scenes;
DROP TABLE IF EXISTS video_frames;
CREATE TABLE video_frames (video_id INT, frame INT, brightness DOUBLE);
INSERT INTO video_frames VALUES (1, 0, 0.10), (1, 1, 0.12), (1, 2, 0.80), (1, 3, 0.82);
INSERT INTO video_frames VALUES (2, 0, 0.50), (2, 1, 0.52);

-- Plain Spark SQL: the frames of each video, then its scenes.
SELECT g.video_id, s.*
FROM (SELECT video_id, collect_list(struct(frame, brightness)) AS frames
      FROM video_frames GROUP BY video_id) g,
  LATERAL lancet_explode('dev.lancet.examples.SceneDetector', g.frames) s
ORDER BY video_id, scene;

-- Kept current: a group is computed again when any of its rows changes.
CREATE MATERIALIZED VIEW video_scenes PARTITION BY (video_id) AS
SELECT g.video_id, s.*
FROM (SELECT video_id, collect_list(struct(frame, brightness)) AS frames
      FROM video_frames GROUP BY video_id) g,
  LATERAL lancet_explode('dev.lancet.examples.SceneDetector', g.frames) s;

INSERT INTO video_frames VALUES (2, 2, 0.95), (3, 0, 0.40);   -- video 2 grows, video 3 arrives
REFRESH MATERIALIZED VIEW video_scenes;                        -- videos 2 and 3 only (4 frames read)
REFRESH MATERIALIZED VIEW video_scenes;                        -- nothing
SELECT video_id, scene, firstFrame, lastFrame, frames FROM video_scenes ORDER BY video_id, scene;

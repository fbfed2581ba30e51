package dev.lancet.backfill.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job records as JSON files in {@code <table>/_lancet/jobs/}. Lance ignores files outside its own
 * directories, so they never affect reads. Only local tables keep records for now.
 */
public final class JobRecords {
  private static final Logger LOG = LoggerFactory.getLogger(JobRecords.class);

  private JobRecords() {}

  static void write(String datasetUri, JobRecord record) {
    Path dir = directory(datasetUri);
    if (dir == null) {
      LOG.warn("job {} of {}: job records are kept for local tables only", record.jobId(), datasetUri);
      return;
    }
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(record.jobId() + ".json.tmp");
      Files.writeString(tmp, record.toJson(), StandardCharsets.UTF_8);
      Files.move(tmp, dir.resolve(record.jobId() + ".json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warn("job {} of {}: cannot write its record: {}", record.jobId(), datasetUri, e.toString());
    }
  }

  /** The table's job records, oldest first. */
  public static List<JobRecord> list(String datasetUri) {
    Path dir = directory(datasetUri);
    List<JobRecord> records = new ArrayList<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return records;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        records.add(JobRecord.fromJson(Files.readString(f, StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read job records of " + datasetUri + ": " + e, e);
    }
    records.sort(Comparator.comparingLong(JobRecord::startedAt));
    return records;
  }

  private static Path directory(String datasetUri) {
    Path table = DataFiles.localPath(datasetUri);
    return table == null ? null : table.resolve("_lancet").resolve("jobs");
  }
}

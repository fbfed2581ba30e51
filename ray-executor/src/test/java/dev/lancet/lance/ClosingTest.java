package dev.lancet.lance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosingTest {
  @Test
  void everyResourceIsClosedAndEveryFailureReported() {
    List<String> closed = new ArrayList<>();
    AutoCloseable first =
        () -> {
          closed.add("first");
          throw new IllegalStateException("first failed");
        };
    AutoCloseable second = () -> closed.add("second");
    AutoCloseable third =
        () -> {
          closed.add("third");
          throw new java.io.IOException("third failed");
        };
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Closing.all(first, null, second, third));
    assertEquals(List.of("first", "second", "third"), closed);
    assertEquals("first failed", e.getMessage());
    assertEquals(1, e.getSuppressed().length);
    assertEquals("third failed", e.getSuppressed()[0].getMessage());
  }
}

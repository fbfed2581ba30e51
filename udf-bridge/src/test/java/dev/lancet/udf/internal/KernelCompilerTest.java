package dev.lancet.udf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.udf.fixtures.Kinds;
import dev.lancet.udf.fixtures.Udfs;
import dev.lancet.udf.fixtures.Widening;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

/** The fast path is really taken: primitive, boxed and string signatures compile to a kernel. */
class KernelCompilerTest {
  @Test
  void primitiveBoxedAndStringSignaturesCompileAndRicherTypesDoNot() throws Exception {
    try (BufferAllocator a = new RootAllocator();
        IntVector x = new IntVector("x", a);
        IntVector y = new IntVector("y", a);
        BigIntVector out = new BigIntVector("o", a);
        VarCharVector s = new VarCharVector("s", a);
        IntVector intOut = new IntVector("i", a)) {
      var area = UdfSignature.of(Udfs.Area.class).call();
      assertTrue(
          KernelCompiler.compile(area, new ValueVector[] {x, y}, out).isPresent(),
          KernelCompiler.source(area, new ValueVector[] {x, y}, out));
      var nulls = UdfSignature.of(Udfs.NullCounter.class).call();
      assertTrue(KernelCompiler.compile(nulls, new ValueVector[] {x, s}, intOut).isPresent());
      var upper = UdfSignature.of(Udfs.Upper.class).call();
      assertTrue(KernelCompiler.compile(upper, new ValueVector[] {s}, s).isPresent());
      var widen = UdfSignature.of(Udfs.Widen.class).call();
      assertTrue(
          KernelCompiler.compile(widen, new ValueVector[] {x, x}, out).isEmpty(),
          "double output into a bigint vector is not compiled");
      var embed = UdfSignature.of(Kinds.Embed.class).call();
      assertTrue(
          KernelCompiler.compile(embed, new ValueVector[] {s}, out).isEmpty(),
          "float[] goes through codecs");
    }
  }

  @Test
  void widenedInputsCompileToAKernel() {
    try (BufferAllocator a = new RootAllocator();
        IntVector i = new IntVector("i", a);
        BigIntVector l = new BigIntVector("l", a);
        Float4Vector f = new Float4Vector("f", a);
        SmallIntVector s = new SmallIntVector("s", a);
        VarCharVector out = new VarCharVector("o", a)) {
      Object[][] cases = {
        {Widening.ToLong.class, i},
        {Widening.ToFloat.class, i},
        {Widening.ToDouble.class, i},
        {Widening.ToDouble.class, l},
        {Widening.ToDouble.class, f},
        {Widening.ToBoxedLong.class, i},
        {Widening.ToBoxedDouble.class, i},
        {Widening.ToInt.class, s},
      };
      for (Object[] c : cases) {
        var call = UdfSignature.of((Class<?>) c[0]).call();
        ValueVector[] in = {(ValueVector) c[1]};
        assertTrue(
            KernelCompiler.compile(call, in, out).isPresent(),
            KernelCompiler.source(call, in, out));
      }
    }
  }

  @Test
  void theUncheckedLoopComputesNullsAndWidensAsTheCheckedLoopDoes() throws Exception {
    try (BufferAllocator a = new RootAllocator();
        Float4Vector f = new Float4Vector("f", a);
        BigIntVector l = new BigIntVector("l", a);
        Float8Vector out = new Float8Vector("o", a)) {
      int rows = 1000;
      f.allocateNew(rows);
      l.allocateNew(rows);
      for (int i = 0; i < rows; i++) {
        if (i % 7 != 3) {
          f.set(i, i * 0.5f);
        }
        if (i % 11 != 5) {
          l.set(i, 3L * i);
        }
      }
      f.setValueCount(rows);
      l.setValueCount(rows);
      out.allocateNew(rows);
      var widen = UdfSignature.of(Udfs.Widen.class).call();
      ValueVector[] in = {f, l};
      String source = KernelCompiler.source(widen, in, out);
      assertTrue(source.contains("UncheckedVectors.covers"), source);
      ScalarKernel kernel = KernelCompiler.compile(widen, in, out).orElseThrow();
      kernel.run(context(new Udfs.Widen(), null), in, out, rows);
      out.setValueCount(rows);
      for (int i = 0; i < rows; i++) {
        if (i % 7 == 3 || i % 11 == 5) {
          assertTrue(out.isNull(i), "row " + i + " has a null input");
        } else {
          assertEquals(new Udfs.Widen().call(i * 0.5f, 3L * i), out.get(i), "row " + i);
        }
      }
    }
  }

  @Test
  void aRowThatThrowsInTheUncheckedLoopIsRecordedAndNulledAndTheRestComputed() throws Exception {
    try (BufferAllocator a = new RootAllocator();
        IntVector v = new IntVector("v", a);
        IntVector out = new IntVector("o", a)) {
      v.allocateNew(6);
      for (int i = 0; i < 6; i++) {
        v.set(i, i);
      }
      v.setValueCount(6);
      out.allocateNew(6);
      ValueVector[] in = {v};
      var call = UdfSignature.of(Udfs.Throws.class).call();
      List<Integer> failed = new ArrayList<>();
      KernelCompiler.compile(call, in, out)
          .orElseThrow()
          .run(context(new Udfs.Throws(), (row, values, e, n) -> failed.add(row)), in, out, 6);
      out.setValueCount(6);
      assertEquals(List.of(3), failed);
      assertTrue(out.isNull(3));
      assertEquals(
          List.of(0, 1, 2, 4, 5),
          List.of(out.get(0), out.get(1), out.get(2), out.get(4), out.get(5)));
    }
  }

  @Test
  void aBatchLongerThanItsBuffersTakesTheCheckedLoopWhichRefusesIt() throws Exception {
    try (BufferAllocator a = new RootAllocator();
        IntVector x = new IntVector("x", a);
        IntVector y = new IntVector("y", a);
        BigIntVector out = new BigIntVector("o", a)) {
      x.allocateNew(4);
      y.allocateNew(4);
      out.allocateNew(4);
      int rows = (int) (x.getDataBuffer().capacity() / 4) + 1; // more rows than x's buffer holds
      for (IntVector v : List.of(x, y)) {
        v.getValidityBuffer().setOne(0, v.getValidityBuffer().capacity()); // no row null
      }
      ValueVector[] in = {x, y};
      var area = UdfSignature.of(Udfs.Area.class).call();
      ScalarKernel kernel = KernelCompiler.compile(area, in, out).orElseThrow();
      assertThrows(
          IndexOutOfBoundsException.class,
          () -> kernel.run(context(new Udfs.Area(), null), in, out, rows),
          "Arrow's own bounds check, not a read past the buffer");
    }
  }

  private static KernelContext context(Object udf, dev.lancet.udf.RowErrors errors) {
    return new KernelContext(
        udf, udf.getClass().getName(), List.of("v"), errors, dev.lancet.udf.ErrorPolicy.FAIL);
  }

  @Test
  void aKernelDoesNotKeepItsUdfsClassLoaderAlive() throws Exception {
    java.lang.ref.WeakReference<ClassLoader> loader = compileInALoaderOfItsOwn();
    for (int i = 0; i < 50 && loader.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertTrue(loader.get() == null, "the UDF's class loader was collected");
  }

  /** Loads Udfs$Area in a class loader of its own (as a user's jar is) and compiles its kernel. */
  private static java.lang.ref.WeakReference<ClassLoader> compileInALoaderOfItsOwn()
      throws Exception {
    java.net.URL classes = Udfs.class.getProtectionDomain().getCodeSource().getLocation();
    ClassLoader parent = KernelCompilerTest.class.getClassLoader();
    try (java.net.URLClassLoader own =
            new java.net.URLClassLoader(new java.net.URL[] {classes}, parent) {
              @Override
              protected Class<?> loadClass(String name, boolean resolve)
                  throws ClassNotFoundException {
                if (!name.startsWith("dev.lancet.udf.fixtures.")) {
                  return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                  Class<?> c = findLoadedClass(name);
                  return c != null ? c : findClass(name); // the user's classes first
                }
              }
            };
        BufferAllocator allocator = new RootAllocator();
        IntVector x = new IntVector("x", allocator);
        IntVector y = new IntVector("y", allocator);
        BigIntVector out = new BigIntVector("out", allocator)) {
      Class<?> area = own.loadClass(Udfs.Area.class.getName());
      assertTrue(area != Udfs.Area.class, "loaded apart from the test's own class");
      java.lang.reflect.Method call = area.getMethod("call", int.class, int.class);
      assertTrue(KernelCompiler.compile(call, new ValueVector[] {x, y}, out).isPresent());
      return new java.lang.ref.WeakReference<>(own);
    }
  }
}
